package dev.hotline.engine.sip;

import dev.hotline.engine.call.EngineConfig;
import dev.hotline.engine.call.Registration;
import dev.hotline.engine.call.SipAccount;
import gov.nist.javax.sip.RequestEventExt;
import gov.nist.javax.sip.message.SIPMessage;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Optional;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.SupportedHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.UserAgentHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registrar's SIP side (RFC 3261 §10.3): authenticates a REGISTER, applies its contacts to the
 * {@link Registrar} and answers with the bindings now in force. A Contact with {@code +sip.instance} and {@code reg-id}
 * from a UA with "outbound" in Supported registers a flow (RFC 5626 §6): answered with {@code Require: outbound}, over
 * UDP with a {@code Flow-Timer}; without "outbound" in Supported the reg-id is ignored.
 */
final class RegisterHandler {
    private static final Logger log = LoggerFactory.getLogger(RegisterHandler.class);
    /** RFC 5626 §4.1 / §4.2: the Contact parameters that name a UA instance and one of its flows. */
    static final String INSTANCE = "+sip.instance";
    static final String REG_ID = "reg-id";
    /** RFC 5626 §10.2: the keep-alive interval the registrar asks of a flow. */
    static final String FLOW_TIMER = "Flow-Timer";
    /** What a UDP flow is asked for (the UA pings at 80-100 % of it, RFC 5626 §4.4.1). */
    static final int UDP_FLOW_TIMER_SECONDS = 20;

    private final EngineConfig config;
    private final Registrar registrar;
    private final SipAuth auth;
    private final SipMessages msg;
    private final Clock clock;

    RegisterHandler(EngineConfig config, Registrar registrar, SipAuth auth, SipMessages msg, Clock clock) {
        this.config = config;
        this.registrar = registrar;
        this.auth = auth;
        this.msg = msg;
        this.clock = clock;
    }

    /** A REGISTER outside any dialog, with its server transaction, from {@code ip}. */
    void onRegister(RequestEvent e, ServerTransaction st, String ip) throws Exception {
        Request req = e.getRequest();
        ToHeader to = (ToHeader) req.getHeader(ToHeader.NAME);
        if (!(to.getAddress().getURI() instanceof SipURI aor) || aor.getUser() == null) {
            msg.send(st, msg.response(Response.BAD_REQUEST, req, null, "To must be a sip: URI with a user"));
            return;
        }
        String domain = msg.domainOf(aor.getHost());
        String user = aor.getUser();
        Optional<SipAccount> account = auth.authenticate(e, st, ip, domain, user, false);
        if (account.isEmpty()) {
            return;
        }
        ExpiresHeader expiresHeader = req.getExpires();
        int defaultExpires = expiresHeader != null ? expiresHeader.getExpires() : 3600;
        List<Registrar.ContactUpdate> updates = new ArrayList<>();
        boolean wildcard = false;
        ListIterator<?> it = req.getHeaders(ContactHeader.NAME);
        int min = (int) config.minRegisterExpires().toSeconds();
        int max = (int) config.maxRegisterExpires().toSeconds();
        // RFC 5626 §6: reg-id counts only with "outbound" in Supported (else it is ignored and the binding is keyed by its Contact)
        boolean outboundAsked = supportsOutbound(req);
        InetSocketAddress packetSource = req instanceof SIPMessage m && m.getPeerPacketSourceAddress() != null
                ? new InetSocketAddress(m.getPeerPacketSourceAddress(), m.getPeerPacketSourcePort())
                : new InetSocketAddress(ip, ((RequestEventExt) e).getRemotePort());
        boolean udp = ListeningPoint.UDP.equalsIgnoreCase(((ViaHeader) req.getHeader(ViaHeader.NAME)).getTransport());
        boolean flows = false;
        int nonZero = 0;
        while (it.hasNext()) {
            ContactHeader c = (ContactHeader) it.next();
            if (c.isWildCard()) {
                wildcard = true;
                continue;
            }
            int exp = c.getExpires() >= 0 ? c.getExpires() : defaultExpires;
            if (exp > 0 && exp < min) {
                // RFC 3261 §10.3 step 6: 423 with Min-Expires
                Response r = msg.response(Response.INTERVAL_TOO_BRIEF, req, null);
                r.addHeader(msg.hf.createMinExpiresHeader(min));
                msg.send(st, r);
                return;
            }
            nonZero += exp > 0 ? 1 : 0;
            String instance = outboundAsked ? unquoted(c.getParameter(INSTANCE)) : null;
            int regId = instance == null ? 0 : regId(c.getParameter(REG_ID)); // RFC 5626 §6: reg-id without an instance is ignored
            if (regId > 0 && viaCount(req) > 1) {
                // RFC 5626 §6: not the first hop, and no Path naming an edge proxy that supports outbound
                msg.send(st, msg.response(439, req, null, "First Hop Lacks Outbound Support"));
                return;
            }
            flows |= regId > 0;
            URI uri = c.getAddress().getURI();
            // RFC 5626 §5.3: a UDP flow is reached where its REGISTER came from, whatever its Contact says
            InetSocketAddress nat = regId > 0 && udp ? packetSource : NatTraversal.natedSource(req, uri);
            updates.add(new Registrar.ContactUpdate(uri.toString(), Math.min(exp, max), nat, regId > 0 ? instance : null, regId));
        }
        if (flows && nonZero > 1) {
            // RFC 5626 §6: a registration with a reg-id registers one flow, so carries one Contact
            msg.send(st, msg.response(Response.BAD_REQUEST, req, null, "A Contact with reg-id must be the only one"));
            return;
        }
        if (wildcard) {
            // RFC 3261 §10.3 step 6: "*" only alone and with Expires: 0
            if (!updates.isEmpty() || expiresHeader == null || expiresHeader.getExpires() != 0) {
                msg.send(st, msg.response(Response.BAD_REQUEST, req, null, "Contact * needs Expires: 0 and no other contact"));
                return;
            }
            registrar.removeAll(domain, user);
            log.info("unregistered all contacts of {}@{}", user, domain);
            msg.send(st, msg.response(Response.OK, req, null));
            return;
        }
        ViaHeader via = (ViaHeader) req.getHeader(ViaHeader.NAME);
        String callId = ((CallIdHeader) req.getHeader(CallIdHeader.NAME)).getCallId();
        long cseq = ((CSeqHeader) req.getHeader(CSeqHeader.NAME)).getSeqNumber();
        UserAgentHeader ua = (UserAgentHeader) req.getHeader(UserAgentHeader.NAME);
        List<Registration> live = updates.isEmpty() ? registrar.lookup(domain, user)
                : registrar.apply(account.get().accountKey(), domain, user, updates, callId, cseq,
                new InetSocketAddress(ip, ((RequestEventExt) e).getRemotePort()),
                via.getTransport().toLowerCase(Locale.ROOT), ua == null ? "" : String.join(" ", toStrings(ua.getProduct())));
        Response r = msg.response(Response.OK, req, null);
        long now = clock.millis();
        for (Registration reg : live) {
            ContactHeader c = msg.hf.createContactHeader(msg.af.createAddress(msg.af.createURI(reg.contact())));
            c.setExpires((int) Math.max(0, (reg.expiresAt().toEpochMilli() - now) / 1000));
            if (reg.outbound()) {
                ((gov.nist.javax.sip.header.ParametersHeader) c).setQuotedParameter(INSTANCE, reg.instanceId());
                c.setParameter(REG_ID, Integer.toString(reg.regId()));
            }
            r.addHeader(c);
        }
        if (flows) {
            r.addHeader(msg.hf.createRequireHeader("outbound")); // RFC 5626 §6: the registrar applied outbound to this flow
            if (udp) {
                // RFC 5626 §4.4.1: without it a UA pings a UDP flow every 24-29 s; many NATs forget a UDP mapping after 30 s
                r.addHeader(msg.hf.createHeader(FLOW_TIMER, Integer.toString(UDP_FLOW_TIMER_SECONDS)));
            }
        }
        if (!updates.isEmpty()) {
            log.debug("registered {}@{}: {} contact(s)", user, domain, live.size());
        }
        msg.send(st, r);
    }

    /** Whether the request lists the "outbound" option tag in a Supported header (RFC 5626 §4.2.1, §6). */
    private static boolean supportsOutbound(Request req) {
        ListIterator<?> it = req.getHeaders(SupportedHeader.NAME);
        while (it != null && it.hasNext()) {
            String tag = ((SupportedHeader) it.next()).getOptionTag();
            if (tag != null && tag.trim().equalsIgnoreCase("outbound")) {
                return true;
            }
        }
        return false;
    }

    private static int viaCount(Request req) {
        int n = 0;
        for (ListIterator<?> it = req.getHeaders(ViaHeader.NAME); it.hasNext(); it.next()) {
            n++;
        }
        return n;
    }

    /** The +sip.instance value without its quotes (RFC 5626 §4.1: a quoted URN), or null. */
    private static String unquoted(String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            v = v.substring(1, v.length() - 1);
        }
        return v.isEmpty() ? null : v;
    }

    /** RFC 5626 §4.2: reg-id is a positive integer (1 to 2^31-1); anything else counts as none. */
    private static int regId(String value) {
        try {
            int id = value == null ? 0 : Integer.parseInt(value.trim());
            return Math.max(id, 0);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static List<String> toStrings(ListIterator<?> it) {
        List<String> out = new ArrayList<>();
        while (it.hasNext()) {
            out.add(String.valueOf(it.next()));
        }
        return out;
    }
}
