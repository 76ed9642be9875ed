package dev.hotline.engine.sip;

import dev.hotline.engine.call.EngineConfig;
import dev.hotline.engine.call.Registration;
import dev.hotline.engine.call.SipAccount;
import gov.nist.javax.sip.RequestEventExt;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Optional;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.UserAgentHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registrar's SIP side (RFC 3261 §10.3): authenticates a REGISTER, applies its contacts to the
 * {@link Registrar} and answers with the bindings now in force.
 */
final class RegisterHandler {
    private static final Logger log = LoggerFactory.getLogger(RegisterHandler.class);

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
            updates.add(new Registrar.ContactUpdate(c.getAddress().getURI().toString(), Math.min(exp, max),
                    NatTraversal.natedSource(req, c.getAddress().getURI())));
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
            r.addHeader(c);
        }
        if (!updates.isEmpty()) {
            log.debug("registered {}@{}: {} contact(s)", user, domain, live.size());
        }
        msg.send(st, r);
    }

    private static List<String> toStrings(ListIterator<?> it) {
        List<String> out = new ArrayList<>();
        while (it.hasNext()) {
            out.add(String.valueOf(it.next()));
        }
        return out;
    }
}
