package dev.hotline.engine.dtmf;

/**
 * One RFC 4733 §2.3 telephone-event payload: event code, end bit, volume (0..63, in -dBm0)
 * and duration in timestamp units. The static accessors read a payload in place without
 * allocating, for the packet path.
 */
public record TelephoneEvent(int event, boolean end, int volume, int duration) {
    /** Size of one event payload. */
    public static final int SIZE = 4;

    public TelephoneEvent {
        if (event < 0 || event > 255) {
            throw new IllegalArgumentException("event out of range: " + event);
        }
        if (volume < 0 || volume > 63) {
            throw new IllegalArgumentException("volume out of range: " + volume);
        }
        if (duration < 0 || duration > 0xFFFF) {
            throw new IllegalArgumentException("duration out of range: " + duration);
        }
    }

    /** The DTMF key of this event, or null when the event is not a key (e.g. flash). */
    public DtmfDigit digit() {
        return DtmfDigit.fromEvent(event);
    }

    /** Decodes the payload at {@code off}; fails when fewer than 4 bytes are given. */
    public static TelephoneEvent decode(byte[] buf, int off, int len) {
        if (len < SIZE || off < 0 || off + SIZE > buf.length) {
            throw new IllegalArgumentException("telephone-event payload needs 4 bytes, got " + len);
        }
        return new TelephoneEvent(event(buf, off), isEnd(buf, off), volume(buf, off), duration(buf, off));
    }

    /** Writes this event as 4 bytes at {@code off} (the R bit is sent as 0, RFC 4733 §2.3). */
    public int encode(byte[] out, int off) {
        out[off] = (byte) event;
        out[off + 1] = (byte) ((end ? 0x80 : 0) | volume);
        out[off + 2] = (byte) (duration >> 8);
        out[off + 3] = (byte) duration;
        return SIZE;
    }

    public static int event(byte[] buf, int off) {
        return buf[off] & 0xFF;
    }

    public static boolean isEnd(byte[] buf, int off) {
        return (buf[off + 1] & 0x80) != 0;
    }

    public static int volume(byte[] buf, int off) {
        return buf[off + 1] & 0x3F;
    }

    public static int duration(byte[] buf, int off) {
        return ((buf[off + 2] & 0xFF) << 8) | (buf[off + 3] & 0xFF);
    }
}
