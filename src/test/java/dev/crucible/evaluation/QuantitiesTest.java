package dev.crucible.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QuantitiesTest {

    @Test
    void memoryTakesKubernetesAndDockerForms() {
        assertThat(Quantities.memoryBytes("100Mi")).isEqualTo(100L << 20);
        assertThat(Quantities.memoryBytes("1Gi")).isEqualTo(1L << 30);
        assertThat(Quantities.memoryBytes("512Ki")).isEqualTo(512L << 10);
        assertThat(Quantities.memoryBytes("128M")).isEqualTo(128_000_000L);
        assertThat(Quantities.memoryBytes("1G")).isEqualTo(1_000_000_000L);
        assertThat(Quantities.memoryBytes("512m")).isEqualTo(512L << 20);
        assertThat(Quantities.memoryBytes("1g")).isEqualTo(1L << 30);
        assertThat(Quantities.memoryBytes("1048576")).isEqualTo(1L << 20);
        assertThat(Quantities.memoryBytes("1.5Gi")).isEqualTo(3L << 29);
    }

    @Test
    void memoryRefusesWhatIsNotAQuantity() {
        assertThat(Quantities.memoryBytes("lots")).isEqualTo(-1);
        assertThat(Quantities.memoryBytes("-5Mi")).isEqualTo(-1);
        assertThat(Quantities.memoryBytes("5 Xi")).isEqualTo(-1);
        assertThat(Quantities.memoryBytes("99999999999999Ti")).isEqualTo(-1);
        assertThat(Quantities.memoryBytes("")).isEqualTo(-1);
    }

    @Test
    void cpuTakesMillicoresAndDecimals() {
        assertThat(Quantities.nanoCpus("500m")).isEqualTo(500_000_000L);
        assertThat(Quantities.nanoCpus("1")).isEqualTo(1_000_000_000L);
        assertThat(Quantities.nanoCpus("0.25")).isEqualTo(250_000_000L);
        assertThat(Quantities.nanoCpus("2")).isEqualTo(2_000_000_000L);
        assertThat(Quantities.nanoCpus("one")).isEqualTo(-1);
        assertThat(Quantities.nanoCpus("1Gi")).isEqualTo(-1);
    }

    @Test
    void limitsPrintInTheFormTheApiTakes() {
        assertThat(Limits.formatMemory(100L << 20)).isEqualTo("100Mi");
        assertThat(Limits.formatMemory(2L << 30)).isEqualTo("2Gi");
        assertThat(Limits.formatMemory(1000)).isEqualTo("1000");
        assertThat(Limits.formatCpus(1_000_000_000L)).isEqualTo("1");
        assertThat(Limits.formatCpus(500_000_000L)).isEqualTo("500m");
        assertThat(Limits.formatCpus(1_500_000L)).isEqualTo("0.0015");
    }
}
