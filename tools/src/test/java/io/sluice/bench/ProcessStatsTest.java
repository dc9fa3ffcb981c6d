package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcessStatsTest {
    private static String statLine(String command, long utime, long stime) {
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime
        // ...
        return "4242 (" + command + ") S 1 4242 4242 0 -1 4194560 9051 0 12 0 " + utime + " " + stime
                + " 3 4 20 0 35 0 512 " + "6000000000 90000 18446744073709551615\n";
    }

    @Test
    void addsUserAndSystemTicks() {
        assertThat(ProcessStats.cpuTicks(statLine("java", 1200, 345))).isEqualTo(1545);
    }

    @Test
    void findsTheTicksWhenTheCommandNameHoldsSpacesAndParentheses() {
        assertThat(ProcessStats.cpuTicks(statLine("Stream (thread) 1", 7, 8))).isEqualTo(15);
    }

    @Test
    void convertsClockTicksToNanoseconds() {
        assertThat(ProcessStats.ticksToNanos(250, 100)).isEqualTo(2_500_000_000L);
    }

    @Test
    void readsThePeakResidentSetFromStatus() {
        String status = "Name:\tjava\nVmPeak:\t 9000000 kB\nVmHWM:\t  512000 kB\nVmRSS:\t  400000 kB\n";

        assertThat(ProcessStats.kibField(status, "VmHWM")).isEqualTo(512_000);
    }

    @Test
    void rejectsAStatusWithoutTheField() {
        assertThatThrownBy(() -> ProcessStats.kibField("Name:\tjava\n", "VmHWM"))
                .hasMessageContaining("VmHWM");
    }

    @Test
    void measuresThisProcessFromProc() {
        long pid = ProcessHandle.current().pid();

        assertThat(ProcessStats.cpuNanos(pid)).isPositive();
        assertThat(ProcessStats.peakRssBytes(pid)).isGreaterThan(1L << 20);
    }
}
