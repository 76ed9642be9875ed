package dev.hotline.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class G711Test {
    @Test
    void knownValues() {
        assertThat(G711.ulawToLinear((byte) 0xFF)).isZero();
        assertThat(G711.ulawToLinear((byte) 0x00)).isEqualTo((short) -32124);
        assertThat(G711.ulawToLinear((byte) 0x80)).isEqualTo((short) 32124);
        assertThat(G711.alawToLinear((byte) 0xD5)).isEqualTo((short) 8);
        assertThat(G711.alawToLinear((byte) 0x55)).isEqualTo((short) -8);
        assertThat(G711.linearToUlaw((short) 0)).isEqualTo((byte) 0xFF);
        assertThat(G711.linearToAlaw((short) 0)).isEqualTo((byte) 0xD5);
    }

    @Test
    void everyCodeRoundTripsThroughLinear() {
        for (int i = 0; i < 256; i++) {
            byte a = (byte) i;
            assertThat(G711.linearToAlaw(G711.alawToLinear(a))).as("A-law %02x", i).isEqualTo(a);
            byte u = (byte) i;
            if (i != 0x7F) { // μ-law has two zeros (0x7F and 0xFF); 0 encodes as 0xFF
                assertThat(G711.linearToUlaw(G711.ulawToLinear(u))).as("μ-law %02x", i).isEqualTo(u);
            }
        }
    }

    @Test
    void lawConversionKeepsTheSignalClose() {
        for (int i = 0; i < 256; i++) {
            byte u = (byte) i;
            int lin = G711.ulawToLinear(u);
            int viaA = G711.alawToLinear(G711.ulawToAlaw(u));
            assertThat(Math.abs(lin - viaA)).as("μ %02x", i).isLessThanOrEqualTo(Math.max(16, Math.abs(lin) / 16));
            byte a = (byte) i;
            int linA = G711.alawToLinear(a);
            int viaU = G711.ulawToLinear(G711.alawToUlaw(a));
            assertThat(Math.abs(linA - viaU)).as("A %02x", i).isLessThanOrEqualTo(Math.max(16, Math.abs(linA) / 16));
        }
    }

    @Test
    void inPlaceConversionTouchesOnlyTheRange() {
        byte[] buf = {1, 2, (byte) 0xFF, (byte) 0xFF, 3};
        G711.ulawToAlaw(buf, 2, 2);
        assertThat(buf).containsExactly(1, 2, (byte) 0xD5, (byte) 0xD5, 3);
        G711.alawToUlaw(buf, 2, 2);
        assertThat(buf).containsExactly(1, 2, (byte) 0xFE, (byte) 0xFE, 3); // A-law +8 is μ-law 0xFE, not silence 0xFF
    }
}
