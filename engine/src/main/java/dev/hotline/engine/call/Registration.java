package dev.hotline.engine.call;

import java.net.InetSocketAddress;
import java.time.Instant;

/**
 * One live contact binding of an address-of-record (RFC 3261 §10.3).
 *
 * @param source     where the REGISTER came from
 * @param natAddress where requests for this contact go instead of the Contact: the public address and port of a UDP phone
 *                   behind a NAT (RFC 3581), whose Contact names a private address, or the source of an RFC 5626 UDP
 *                   registration (its flow); null: the Contact
 * @param instanceId the Contact's {@code +sip.instance} (RFC 5626 §4.1) when the binding is an RFC 5626 flow, else null
 * @param regId      the Contact's {@code reg-id} (RFC 5626 §4.2) when the binding is an RFC 5626 flow, else 0
 */
public record Registration(String accountKey, String domain, String user, String contact,
                           InetSocketAddress source, String transport, Instant expiresAt, String userAgent,
                           InetSocketAddress natAddress, String instanceId, int regId) {
    /** An RFC 5626 flow: registered with {@code +sip.instance}, {@code reg-id} and "outbound" in Supported (§6). */
    public boolean outbound() {
        return regId > 0;
    }
}
