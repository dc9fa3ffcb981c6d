package io.sluice.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the figures were measured on: cores, CPU model, memory, Java, and the load average, which
 * says how much else the machine was doing.
 *
 * @param cores       processors available to the JVM
 * @param cpuModel    the CPU's model name
 * @param memoryBytes physical memory
 * @param java        the Java runtime
 */
record MachineInfo(int cores, String cpuModel, long memoryBytes, String java) {

    /** This machine. */
    static MachineInfo current() {
        return new MachineInfo(
                Runtime.getRuntime().availableProcessors(),
                cpuModel(readOrEmpty("/proc/cpuinfo")),
                memTotalKib(readOrEmpty("/proc/meminfo")) * 1024,
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    }

    /** The 1-, 5- and 15-minute load averages, as {@code /proc/loadavg} gives them. */
    static String loadAverage() {
        return loadAverage(readOrEmpty("/proc/loadavg"));
    }

    static String loadAverage(String loadavg) {
        String[] fields = loadavg.trim().split("\\s+");
        return fields.length < 3 ? "unknown" : fields[0] + " " + fields[1] + " " + fields[2];
    }

    static String cpuModel(String cpuinfo) {
        for (String line : cpuinfo.split("\n")) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return "unknown";
    }

    static long memTotalKib(String meminfo) {
        for (String line : meminfo.split("\n")) {
            if (line.startsWith("MemTotal:")) {
                return Long.parseLong(
                        line.substring("MemTotal:".length()).replace("kB", "").trim());
            }
        }
        return 0;
    }

    private static String readOrEmpty(String file) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }
}
