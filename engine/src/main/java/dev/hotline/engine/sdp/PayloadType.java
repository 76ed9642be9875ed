package dev.hotline.engine.sdp;

import java.util.Locale;

/** One RTP payload format from an m= line and its a=rtpmap (RFC 4566 §6, RFC 3551 static types). */
public record PayloadType(int number, String encoding, int clockRate) {
    public static final PayloadType PCMU = new PayloadType(0, "PCMU", 8000);
    public static final PayloadType PCMA = new PayloadType(8, "PCMA", 8000);
    public static final PayloadType TELEPHONE_EVENT = new PayloadType(101, "telephone-event", 8000);
    /** RFC 3551 §4.5.2: G.722 at payload type 9 with an 8 kHz RTP clock (for 16 kHz audio). */
    public static final PayloadType G722 = new PayloadType(9, "G722", 8000);
    /** RFC 7587 §7: opus/48000/2, whatever the audio; 111 is the dynamic type the engine offers. */
    public static final PayloadType OPUS = new PayloadType(111, "opus", 48000);

    public PayloadType {
        if (number < 0 || number > 127) {
            throw new IllegalArgumentException("payload type out of range: " + number);
        }
        encoding = encoding == null ? "" : encoding;
    }

    public boolean isPcmu() {
        return encoding.equalsIgnoreCase("PCMU") && clockRate == 8000;
    }

    public boolean isPcma() {
        return encoding.equalsIgnoreCase("PCMA") && clockRate == 8000;
    }

    public boolean isG711() {
        return isPcmu() || isPcma();
    }

    public boolean isG722() {
        return encoding.equalsIgnoreCase("G722") && clockRate == 8000;
    }

    public boolean isOpus() {
        return encoding.equalsIgnoreCase("opus") && clockRate == 48000;
    }

    /** An audio format the engine decodes and encodes: G.711, G.722 or Opus. */
    public boolean isSupportedAudio() {
        return isG711() || isG722() || isOpus();
    }

    /** The same audio format (encoding and clock rate), whatever the payload type number: relayed as it is. */
    public boolean sameFormat(PayloadType other) {
        return other != null && encoding.equalsIgnoreCase(other.encoding) && clockRate == other.clockRate;
    }

    /** The a=rtpmap value: encoding/clock, with the two channels RFC 7587 §7 requires for Opus. */
    public String rtpmap() {
        return encoding + "/" + clockRate + (isOpus() ? "/2" : "");
    }

    public boolean isTelephoneEvent() {
        return encoding.toLowerCase(Locale.ROOT).equals("telephone-event");
    }
}
