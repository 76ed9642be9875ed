package dev.hotline.engine.sdp;

import java.util.List;

/**
 * A T.38 fax stream of a session description (RFC 3362, ITU-T T.38 Annex D): {@code m=image <port> udptl t38}, where
 * to send the UDPTL datagrams and the stream's attributes ({@code T38FaxVersion:0}, {@code T38MaxBitRate:14400}, ...)
 * as written, each without its {@code a=}.
 */
public record ImageDescription(String address, int port, List<String> attributes) {
    public ImageDescription {
        attributes = List.copyOf(attributes);
    }
}
