package dev.hotline.engine.sip;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.stack.MessageChannel;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Optional;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.ContactHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * PBX-1: the SIPS URI scheme only over TLS. A {@code sips:} URI asks that every hop to it be secured with TLS
 * (RFC 3261 §26.2.2: "each hop over which the request is forwarded ... must be secured with TLS", "UDP is not a valid
 * transport for SIPS"; RFC 5630 §4 removed the last-hop exception), so a request naming one that reaches Hotline over
 * UDP or TCP has already crossed a hop in clear text and is refused before digest or routing:
 * <ul>
 *   <li>a REGISTER whose Request-URI, address-of-record (To) or any Contact is {@code sips:}: 400, as a registrar refuses
 *       a REGISTER whose SIPS URIs do not hold together (RFC 5630 §5.2); the phone would be called over TLS at a Contact
 *       it registered in clear;</li>
 *   <li>any other request with a {@code sips:} Request-URI: 480 (RFC 5630 §5.1.2 / §5.3: a SIPS request not served is
 *       refused with 480). Not 416: that is for a scheme "unknown to the server" (RFC 3261 §21.4.14), and a TLS server
 *       must know SIPS (RFC 3261 §26.3.1).</li>
 * </ul>
 * Both carry Warning 380 "SIPS Not Allowed" (RFC 5630 §9), which tells the UAC not to retry with {@code sip:}
 * by itself (RFC 5630 §5.1.1).
 */
final class SipsScheme {
    /** RFC 5630 §9: warn-code 380, "SIPS Not Allowed". */
    static final int SIPS_NOT_ALLOWED = 380;

    private SipsScheme() {
    }

    /** Why {@code req}, received over {@code transport} ("udp", "tcp" or "tls"), is refused; empty when it is not. */
    record Refusal(int code, String reason, String warning) {
    }

    static Optional<Refusal> refusal(Request req, String transport) {
        if ("tls".equals(transport)) {
            return Optional.empty();
        }
        String over = transport.toUpperCase(Locale.ROOT);
        boolean sipsTarget = secure(req.getRequestURI());
        if (Request.REGISTER.equals(req.getMethod())) {
            ToHeader to = (ToHeader) req.getHeader(ToHeader.NAME);
            boolean sipsAor = to != null && to.getAddress() != null && secure(to.getAddress().getURI());
            if (sipsTarget || sipsAor || sipsContact(req)) {
                return Optional.of(new Refusal(Response.BAD_REQUEST, "SIPS Not Allowed Over " + over,
                        "SIPS Not Allowed: a sips: URI is registered over TLS only (RFC 3261 section 26.2.2)"));
            }
            return Optional.empty();
        }
        return sipsTarget
                ? Optional.of(new Refusal(Response.TEMPORARILY_UNAVAILABLE, "SIPS Not Allowed Over " + over,
                        "SIPS Not Allowed: a sips: Request-URI is served over TLS only (RFC 3261 section 26.2.2)"))
                : Optional.empty();
    }

    /**
     * The transport a request really came over, in lower case: that of the connection or socket it was read from (not
     * what its Via claims: a datagram can say TLS), else its top Via's.
     */
    static String receivedOver(Request req) {
        if (req instanceof SIPRequest r && r.getMessageChannel() instanceof MessageChannel c && c.getTransport() != null) {
            return c.getTransport().toLowerCase(Locale.ROOT);
        }
        ViaHeader via = (ViaHeader) req.getHeader(ViaHeader.NAME);
        return via == null ? "udp" : via.getTransport().toLowerCase(Locale.ROOT);
    }

    private static boolean sipsContact(Request req) {
        ListIterator<?> it = req.getHeaders(ContactHeader.NAME);
        while (it != null && it.hasNext()) {
            ContactHeader c = (ContactHeader) it.next();
            if (c.getAddress() != null && secure(c.getAddress().getURI())) {
                return true;
            }
        }
        return false;
    }

    private static boolean secure(URI uri) {
        return uri instanceof SipURI s && s.isSecure();
    }
}
