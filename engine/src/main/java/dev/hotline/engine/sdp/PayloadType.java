package dev.hotline.engine.sdp;

import java.util.Locale;

/** One RTP payload format from an m= line and its a=rtpmap (RFC 4566 §6, RFC 3551 static types). */
public record PayloadType(int number, String encoding, int clockRate) {
    public static final PayloadType PCMU = new PayloadType(0, "PCMU", 8000);
    public static final PayloadType PCMA = new PayloadType(8, "PCMA", 8000);
    public static final PayloadType TELEPHONE_EVENT = new PayloadType(101, "telephone-event", 8000);

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

    public boolean isTelephoneEvent() {
        return encoding.toLowerCase(Locale.ROOT).equals("telephone-event");
    }
}
