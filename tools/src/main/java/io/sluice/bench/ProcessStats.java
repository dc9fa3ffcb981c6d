package io.sluice.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * CPU time and resident memory of one process, read from Linux's {@code /proc}. Per process, so
 * that other work on a shared machine is not counted, which a wall-clock or system-wide figure
 * would do.
 */
final class ProcessStats {
    private static final long TICKS_PER_SECOND = clockTicksPerSecond();

    private ProcessStats() {}

    /** CPU time (user + system) the process has used, in nanoseconds. */
    static long cpuNanos(long pid) {
        if (pid < 0) {
            return 0; // a process elsewhere (an external cluster's broker)
        }
        return ticksToNanos(cpuTicks(read(Path.of("/proc", String.valueOf(pid), "stat"))), TICKS_PER_SECOND);
    }

    /** The process's peak resident set size (VmHWM) in bytes, since start or the last {@link #resetPeakRss}. */
    static long peakRssBytes(long pid) {
        return kibField(read(Path.of("/proc", String.valueOf(pid), "status")), "VmHWM") * 1024;
    }

    /** Resets the peak resident set size (Linux 4.0+); false where the kernel does not allow it. */
    static boolean resetPeakRss(long pid) {
        try {
            Files.writeString(Path.of("/proc", String.valueOf(pid), "clear_refs"), "5");
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /**
     * User plus system time from a {@code /proc/<pid>/stat} line, in clock ticks: fields 14 and 15,
     * counted after the command name, which is in parentheses and may itself hold spaces or parentheses.
     */
    static long cpuTicks(String statLine) {
        int end = statLine.lastIndexOf(')');
        if (end < 0) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line");
        }
        // After ") ": field 3 (state) is at index 0, so utime (14) is at 11 and stime (15) at 12.
        String[] fields = statLine.substring(end + 2).trim().split("\\s+");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** A {@code kB} field of {@code /proc/<pid>/status}, such as {@code VmHWM}, in KiB. */
    static long kibField(String statusText, String field) {
        for (String line : statusText.split("\n")) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(
                        line.substring(field.length() + 1).replace("kB", "").trim());
            }
        }
        throw new IllegalArgumentException("no " + field + " in /proc/<pid>/status");
    }

    static long ticksToNanos(long ticks, long ticksPerSecond) {
        return ticks * TimeUnit.SECONDS.toNanos(1) / ticksPerSecond;
    }

    /** {@code getconf CLK_TCK}; 100, the value on every common Linux, if it cannot be asked. */
    private static long clockTicksPerSecond() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            return getconf.waitFor() == 0 ? Long.parseLong(out) : 100;
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + " (sluice bench needs Linux's /proc)", e);
        }
    }
}
