package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MachineInfoTest {
    @Test
    void takesTheCpuModelFromCpuinfo() {
        String cpuinfo =
                "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13\nflags\t\t: fpu\n\nprocessor\t: 1\n";

        assertThat(MachineInfo.cpuModel(cpuinfo)).isEqualTo("AMD EPYC 7B13");
    }

    @Test
    void saysUnknownWhenCpuinfoHasNoModel() {
        assertThat(MachineInfo.cpuModel("processor\t: 0\n")).isEqualTo("unknown");
    }

    @Test
    void takesTheThreeLoadAverages() {
        assertThat(MachineInfo.loadAverage("0.63 1.81 2.13 4/108 4994\n")).isEqualTo("0.63 1.81 2.13");
    }

    @Test
    void readsTotalMemory() {
        assertThat(MachineInfo.memTotalKib("MemTotal:       24589000 kB\nMemFree:  100 kB\n"))
                .isEqualTo(24_589_000);
    }
}
