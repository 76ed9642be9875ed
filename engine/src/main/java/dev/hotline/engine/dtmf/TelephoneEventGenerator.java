package dev.hotline.engine.dtmf;

import java.util.ArrayList;
import java.util.List;

/**
 * The RTP packets to send for one key press (RFC 4733 §2.5.1): a first packet with the
 * marker bit, updates every packet interval with a growing duration, and the final packet
 * with the end bit sent three times. All packets carry the same RTP timestamp, that of the
 * event's start; only the sequence number advances.
 */
public final class TelephoneEventGenerator {
    /** Number of copies of the final packet (RFC 4733 §2.5.1.4 recommends three). */
    public static final int END_COPIES = 3;

    /** One packet to send: its payload and whether it carries the RTP marker bit. */
    public record Packet(TelephoneEvent payload, boolean marker) {
        /** Writes the 4-byte payload at {@code off}. */
        public int encode(byte[] out, int off) {
            return payload.encode(out, off);
        }
    }

    private TelephoneEventGenerator() {
    }

    /**
     * The packets for {@code digit}.
     *
     * @param durationSamples total tone duration in timestamp units (e.g. 800 = 100 ms at 8 kHz)
     * @param packetSamples   packet interval in timestamp units (160 = 20 ms at 8 kHz)
     * @param volume          power level in -dBm0, 0..63 (10 is usual)
     */
    public static List<Packet> packets(DtmfDigit digit, int durationSamples, int packetSamples, int volume) {
        return packets(digit.event(), durationSamples, packetSamples, volume);
    }

    /** As {@link #packets(DtmfDigit, int, int, int)} for any event code. */
    public static List<Packet> packets(int event, int durationSamples, int packetSamples, int volume) {
        if (packetSamples <= 0 || durationSamples < packetSamples || durationSamples > 0xFFFF) {
            throw new IllegalArgumentException("duration must be between one packet and 65535 samples");
        }
        List<Packet> out = new ArrayList<>();
        int d = packetSamples;
        boolean first = true;
        while (d < durationSamples) {
            out.add(new Packet(new TelephoneEvent(event, false, volume, d), first));
            first = false;
            d += packetSamples;
        }
        TelephoneEvent end = new TelephoneEvent(event, true, volume, durationSamples);
        for (int i = 0; i < END_COPIES; i++) {
            out.add(new Packet(end, first && i == 0));
        }
        return out;
    }
}
