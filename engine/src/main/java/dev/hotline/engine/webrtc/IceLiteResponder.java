package dev.hotline.engine.webrtc;

import java.net.InetSocketAddress;

/**
 * The ICE-lite side of one media stream (RFC 8445 §2.5, §7.3): it never sends checks, it answers
 * the browser's Binding requests and latches the address they come from. Always in the controlled
 * role (RFC 8445 §6.1.1: the full agent controls).
 *
 * <p>Answers go to the request's <em>source</em> address, whatever the candidate in the SDP said:
 * Chromium may send from a socket on another local address. The latched (selected) address is the
 * source of the last request with USE-CANDIDATE, or of the first valid request until one nominates.
 *
 * <p>Not thread-safe: call from one thread (the leg's media thread).
 */
public final class IceLiteResponder {
    /**
     * What to send back. {@code consent}: a success answered on the selected pair, which refreshes
     * consent (RFC 7675 §5.1); errors and checks of other pairs do not.
     */
    public record Reply(byte[] data, InetSocketAddress to, boolean consent) {
        public Reply(byte[] data, InetSocketAddress to) {
            this(data, to, false);
        }
    }

    private static final String SOFTWARE = "hotline";

    private final String localUfrag;
    private final byte[] localKey;
    private volatile String remoteUfrag;
    private volatile InetSocketAddress selected;
    private volatile boolean nominated;

    /**
     * @param localUfrag the ufrag of our SDP answer
     * @param localPassword the ice-pwd of our SDP answer: the key of MESSAGE-INTEGRITY
     */
    public IceLiteResponder(String localUfrag, String localPassword) {
        this.localUfrag = localUfrag;
        this.localKey = StunMessage.shortTermKey(localPassword);
    }

    /** When known (from the offer), requests whose USERNAME does not end in it are refused. */
    public void setRemoteUfrag(String remoteUfrag) {
        this.remoteUfrag = remoteUfrag;
    }

    /** The address media goes to: nominated, else the first valid check's source; null before any. */
    public InetSocketAddress selectedAddress() {
        return selected;
    }

    public boolean isNominated() {
        return nominated;
    }

    /**
     * Handles one STUN datagram. Returns the reply to send (success or error), or null when the
     * packet is to be dropped silently: not STUN, a bad FINGERPRINT, not a request, a response.
     */
    public Reply onStun(byte[] data, int off, int len, InetSocketAddress from) {
        StunMessage m;
        try {
            m = StunMessage.parse(data, off, len);
        } catch (StunException e) {
            return null; // RFC 8489 §6.3: silently discard what is not a valid STUN message
        }
        // RFC 8445 §7.3 / RFC 8489 §7.3: a FINGERPRINT that does not match means "not STUN".
        if (m.hasFingerprint() && !m.checkFingerprint()) {
            return null;
        }
        if (!m.isBindingRequest()) {
            return null; // indications (keepalives) and responses need no answer from a lite agent
        }
        byte[] tx = m.transactionId();
        // RFC 8489 §9.1.3: no USERNAME or no MESSAGE-INTEGRITY is 400 Bad Request.
        if (m.username() == null || !m.hasIntegrity()) {
            return error(tx, 400, "Bad Request", from, false);
        }
        // RFC 8445 §7.2.2: USERNAME is "our ufrag:their ufrag"; unknown ufrag is 401.
        if (!usernameMatches(m.username())) {
            return error(tx, 401, "Unauthorized", from, false);
        }
        if (!m.checkIntegrity(localKey)) {
            return error(tx, 401, "Unauthorized", from, false);
        }
        int[] unknown = m.unknownRequiredAttributes();
        if (unknown.length > 0) {
            // RFC 8489 §7.3.1: 420 with UNKNOWN-ATTRIBUTES.
            byte[] reply = StunMessage.builder(StunMessage.BINDING_ERROR, tx).errorCode(420, "Unknown Attribute")
                    .unknownAttributes(unknown).build(localKey, true);
            return new Reply(reply, from);
        }
        // RFC 8445 §7.3.1.1: both sides controlled. A lite agent cannot take the controlling role
        // (§6.1.1), so the full agent must: always 487 Role Conflict, whatever the tie-breakers.
        if (m.iceControlled() != null) {
            return error(tx, 487, "Role Conflict", from, true);
        }
        if (m.useCandidate()) {
            selected = from;
            nominated = true;
        } else if (selected == null) {
            selected = from;
        }
        // RFC 8489 §7.3.1: the success response carries the source as XOR-MAPPED-ADDRESS.
        byte[] reply = StunMessage.builder(StunMessage.BINDING_SUCCESS, tx).xorMappedAddress(from).software(SOFTWARE)
                .build(localKey, true);
        return new Reply(reply, from, from.equals(selected));
    }

    private boolean usernameMatches(String username) {
        int colon = username.indexOf(':');
        if (colon < 0 || !username.substring(0, colon).equals(localUfrag)) {
            return false;
        }
        String expectedRemote = remoteUfrag;
        return expectedRemote == null || username.substring(colon + 1).equals(expectedRemote);
    }

    private Reply error(byte[] tx, int code, String reason, InetSocketAddress to, boolean signed) {
        byte[] reply = StunMessage.builder(StunMessage.BINDING_ERROR, tx).errorCode(code, reason)
                .build(signed ? localKey : null, true);
        return new Reply(reply, to);
    }
}
