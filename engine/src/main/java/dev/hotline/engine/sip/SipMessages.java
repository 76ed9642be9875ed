package dev.hotline.engine.sip;

import dev.hotline.engine.call.EngineConfig;
import dev.hotline.engine.call.SipStats;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.ServerTransaction;
import javax.sip.SipProvider;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.AcceptHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Message;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds and sends the engine's SIP messages on JAIN-SIP: responses, Contact and SDP bodies, ACK, BYE
 * and CANCEL inside dialogs, and fresh Via branches. Holds the stack's factories and provider.
 */
final class SipMessages {
    private static final Logger log = LoggerFactory.getLogger(SipMessages.class);
    /** The methods the engine answers (Allow header). */
    static final String ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS, REFER, NOTIFY, UPDATE, INFO, SUBSCRIBE";
    /** The option tags the engine supports (RFC 3261 §19.2): a Require of any other gets 420. */
    static final Set<String> SUPPORTED = Set.of("timer", "replaces", "outbound");

    final SipProvider provider;
    final HeaderFactory hf;
    final AddressFactory af;
    final MessageFactory mf;
    /** SEC-1: the product name, only when configured (User-Agent on requests, Server on responses); else null. */
    private final Header userAgent;
    private final Header server;
    private final EngineConfig config;
    // OPS-4: SIP traffic counted for the metrics (LongAdder: many stack threads count at once).
    private final LongAdder requestsIn = new LongAdder();
    private final LongAdder[] responsesIn = adders();
    private final LongAdder[] responsesOut = adders();

    SipMessages(EngineConfig config, SipProvider provider, HeaderFactory hf, AddressFactory af, MessageFactory mf)
            throws ParseException {
        this.config = config;
        this.provider = provider;
        this.hf = hf;
        this.af = af;
        this.mf = mf;
        this.userAgent = config.product().isEmpty() ? null : hf.createHeader("User-Agent", config.product());
        this.server = config.product().isEmpty() ? null : hf.createHeader("Server", config.product());
    }

    /**
     * A fresh RFC 3261 branch (§8.1.1.7). Set before the client transaction is created: JAIN-SIP hashes
     * the transaction by the branch at that moment, and a request without one makes every response
     * fall back to a linear scan of all client transactions.
     */
    /** Adds the User-Agent header (RFC 3261 §20.41) to a request we send, when a product name is configured. */
    void identify(Request r) {
        if (userAgent != null) {
            r.setHeader(userAgent);
        }
    }

    static String newBranch() {
        return gov.nist.javax.sip.Utils.getInstance().generateBranchId();
    }

    /**
     * True unless Accept headers are present and none of them admits {@code type/subtype} (RFC 3261 §20.1; no Accept
     * means the method's default, which is what we send).
     */
    static boolean accepts(Request req, String type, String subtype) {
        ListIterator<?> it = req.getHeaders(AcceptHeader.NAME);
        if (it == null || !it.hasNext()) {
            return true;
        }
        while (it.hasNext()) {
            AcceptHeader a = (AcceptHeader) it.next();
            String t = a.getContentType() == null ? "*" : a.getContentType();
            String sub = a.getContentSubType() == null ? "*" : a.getContentSubType();
            if ((t.equals("*") || t.equalsIgnoreCase(type)) && (sub.equals("*") || sub.equalsIgnoreCase(subtype))) {
                return true;
            }
        }
        return false;
    }

    static Request withBranch(Request r) throws ParseException {
        ViaHeader via = (ViaHeader) r.getHeader(ViaHeader.NAME);
        if (via != null) {
            via.setBranch(newBranch());
        }
        return r;
    }

    Response response(int code, Request req, String toTag) {
        return response(code, req, toTag, null);
    }

    Response response(int code, Request req, String toTag, String reason) {
        try {
            Response r = mf.createResponse(code, req);
            if (reason != null) {
                r.setReasonPhrase(reason);
            }
            if (toTag != null && code > 100) {
                ToHeader to = (ToHeader) r.getHeader(ToHeader.NAME);
                if (to.getTag() == null) {
                    to.setTag(toTag);
                }
            }
            if (server != null) {
                r.addHeader(server); // RFC 3261 §20.35
            }
            return r;
        } catch (Exception ex) {
            log.debug("cannot build {} response: {}", code, ex.toString());
            return null;
        }
    }

    /** 488 with a Warning header giving the reason (RFC 3261 §20.43, code 399 miscellaneous). */
    Response notAcceptable(Request req, String reason) {
        return notAcceptable(req, Response.NOT_ACCEPTABLE_HERE, reason);
    }

    /** 406 or 488 with a Warning header giving the reason. */
    Response notAcceptable(Request req, int code, String reason) {
        Response r = response(code, req, null);
        try {
            r.addHeader(hf.createWarningHeader("hotline", 399, reason.replace('"', '\'')));
        } catch (Exception ex) {
            log.debug("warning header: {}", ex.toString());
        }
        return r;
    }

    void send(ServerTransaction st, Response r) {
        if (st == null || r == null) {
            return;
        }
        try {
            st.sendResponse(r);
            countOut(r.getStatusCode());
        } catch (Exception ex) {
            log.debug("cannot send {}: {}", r.getStatusCode(), ex.toString());
        }
    }

    private static LongAdder[] adders() {
        LongAdder[] a = new LongAdder[6];
        for (int i = 0; i < a.length; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    void countRequestIn() {
        requestsIn.increment();
    }

    void countIn(int status) {
        if (status >= 100 && status < 700) {
            responsesIn[status / 100 - 1].increment();
        }
    }

    void countOut(int status) {
        if (status >= 100 && status < 700) {
            responsesOut[status / 100 - 1].increment();
        }
    }

    SipStats stats() {
        List<Long> in = new ArrayList<>(6);
        List<Long> out = new ArrayList<>(6);
        for (int i = 0; i < 6; i++) {
            in.add(responsesIn[i].sum());
            out.add(responsesOut[i].sum());
        }
        return new SipStats(requestsIn.sum(), List.copyOf(in), List.copyOf(out));
    }

    ContactHeader contact(String transport) {
        return contact(transport, false);
    }

    /** Our Contact for {@code transport}; {@code sips}: a {@code sips:} URI (TLS), as a request to a sips: URI needs (RFC 3261 §8.1.1.8). */
    ContactHeader contact(String transport, boolean sips) {
        try {
            SipURI uri = af.createSipURI(null, config.advertisedAddress());
            uri.setPort(config.portFor(transport));
            if (sips) {
                uri.setSecure(true);
            } else if (!"udp".equalsIgnoreCase(transport)) {
                uri.setTransportParam(transport);
            }
            return hf.createContactHeader(af.createAddress(uri));
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    void setSdp(Message m, String sdp) {
        try {
            ContentTypeHeader ct = hf.createContentTypeHeader("application", "sdp");
            m.setContent(sdp, ct);
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    void ack(Dialog d, long cseq) {
        if (d == null) {
            return;
        }
        try {
            d.sendAck(d.createAck(cseq));
        } catch (Exception ex) {
            log.debug("cannot ACK: {}", ex.toString());
        }
    }

    void bye(Dialog d) {
        if (d == null) {
            return;
        }
        try {
            Request bye = d.createRequest(Request.BYE);
            withBranch(bye);
            ClientTransaction ct = provider.getNewClientTransaction(bye);
            d.sendRequest(ct);
        } catch (Exception ex) {
            log.debug("cannot send BYE: {}", ex.toString());
        }
    }

    void cancel(ClientTransaction inviteCt) {
        if (inviteCt == null) {
            return;
        }
        try {
            Request cancel = inviteCt.createCancel();
            provider.getNewClientTransaction(cancel).sendRequest();
        } catch (Exception ex) {
            log.debug("cannot send CANCEL: {}", ex.toString());
        }
    }

    /** The SIP domain of a request: its host, or the default domain when it names the engine's address. */
    String domainOf(String host) {
        if (host == null || host.isBlank() || host.equals(config.advertisedAddress()) || host.equals(config.bindAddress())) {
            return config.defaultDomain();
        }
        return host.toLowerCase(Locale.ROOT);
    }
}
