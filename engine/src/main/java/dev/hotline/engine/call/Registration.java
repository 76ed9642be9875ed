package dev.hotline.engine.call;

import java.net.InetSocketAddress;
import java.time.Instant;

/** One live contact binding of an address-of-record (RFC 3261 §10.3). */
public record Registration(String accountKey, String domain, String user, String contact,
                           InetSocketAddress source, String transport, Instant expiresAt, String userAgent) {
}
