package dev.hotline.engine.call;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * SRTP with SDES keys (RFC 4568) on one SIP leg; only ever over TLS signalling (RFC 4568 §8.3: the keys travel in the
 * SDP, in clear text otherwise). A trunk's setting is the mutual choice with its carrier; phones get {@link #OPTIONAL}.
 */
public enum SrtpMode {
    /** Plain RTP: a=crypto is neither offered nor accepted; an RTP/SAVP offer gets 488. */
    OFF,
    /** SRTP when the other side asks for it (or answers our best-effort offer with a=crypto), plain RTP otherwise. */
    OPTIONAL,
    /** SRTP or no call: an offer or answer without a usable a=crypto is refused (488) or ends the call. */
    REQUIRED;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<SrtpMode> parse(String s) {
        return Arrays.stream(values()).filter(m -> m.key().equalsIgnoreCase(s == null ? "" : s.trim())).findFirst();
    }
}
