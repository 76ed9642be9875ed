package dev.hotline.engine.call;

import java.net.InetSocketAddress;
import java.time.Instant;

/**
 * One live contact binding of an address-of-record (RFC 3261 §10.3).
 *
 * @param source     where the REGISTER came from
 * @param natAddress where requests for this contact go instead of the Contact: the public address and port of a UDP phone
 *                   behind a NAT (RFC 3581), whose Contact names a private address; null: the Contact
 */
public record Registration(String accountKey, String domain, String user, String contact,
                           InetSocketAddress source, String transport, Instant expiresAt, String userAgent,
                           InetSocketAddress natAddress) {
}
