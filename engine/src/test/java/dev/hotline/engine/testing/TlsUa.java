package dev.hotline.engine.testing;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Properties;
import java.util.TooManyListenersException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ProxyAuthenticateHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * A SIP user agent speaking SIP over TLS only (RFC 3261 §26.2), on a JAIN-SIP stack of its own: Debian's SIPp has no
 * TLS. It registers (answering the digest challenge), places calls through the engine's TLS port (answering 407),
 * answers calls sent to it, and sends or answers BYE. It trusts the certificates of {@code trustStore} and presents
 * the key store's own certificate when it is the TLS server (a phone's or carrier's listening port). {@link #tcp} makes
 * the same agent over plain TCP (a carrier whose registering trunk uses TCP).
 */
public final class TlsUa implements SipListener, AutoCloseable {
    private static final AtomicInteger STACKS = new AtomicInteger();

    public final SipStack stack;
    public final SipProvider provider;
    public final HeaderFactory hf;
    public final AddressFactory af;
    public final MessageFactory mf;
    public final int port = Ports.free();
    private final String domain;
    private final int serverTlsPort;
    /** "tls", or "tcp" for an agent made by {@link #tcp}. */
    private final String transport;
    private final BlockingQueue<Response> responses = new LinkedBlockingQueue<>();
    /** INVITEs received (out of dialog), with their server transaction. */
    public final BlockingQueue<Incoming> invites = new LinkedBlockingQueue<>();
    /** ACKs and BYEs received inside dialogs. */
    public final BlockingQueue<Request> acks = new LinkedBlockingQueue<>();
    public final BlockingQueue<Request> byes = new LinkedBlockingQueue<>();
    /** REGISTERs received (answered 200), with the source port of the connection they came on. */
    public final BlockingQueue<Received> registers = new LinkedBlockingQueue<>();
    /** The port our Contact advertises: our listening port, unless a test makes it one nobody answers on (NAT). */
    public volatile int contactPort = port;
    /** Whether our Contact is a {@code sips:} URI (RFC 3261 §26.2) instead of {@code sip:...;transport=tls}. */
    public volatile boolean sipsContact;
    /** Whether our INVITEs' Request-URI is a {@code sips:} URI (their Contact too then, RFC 3261 §8.1.1.8). */
    public volatile boolean sipsRequestUri;
    /** The user of our INVITEs' Request-URI when it is not the number called (which stays in To); null: that number. */
    public volatile String requestUser;
    private long cseq;

    public record Received(Request request, int remotePort) {
    }

    public record Incoming(Request request, ServerTransaction transaction) {
        public String sdp() {
            return request.getRawContent() == null ? "" : new String(request.getRawContent(), StandardCharsets.UTF_8);
        }
    }

    /** A call placed or answered: its dialog and the party's SDP. */
    public record Call(Dialog dialog, String remoteSdp, Response answer) {
    }

    /**
     * @param keyStore     PKCS12 key store (password {@code password}) presented when phones or carriers are reached
     * @param trustStore   PKCS12 trust store: the engine's certificate
     * @param domain       the SIP domain of registrations and calls
     * @param serverTlsPort the engine's TLS port
     */
    public TlsUa(Path keyStore, Path trustStore, String password, String domain, int serverTlsPort) throws Exception {
        this(keyStore, trustStore, password, domain, serverTlsPort, "tls");
    }

    /** The same agent over plain TCP, reaching the engine at {@code serverPort} (its SIP port). */
    public static TlsUa tcp(String domain, int serverPort) throws Exception {
        return new TlsUa(null, null, null, domain, serverPort, "tcp");
    }

    private TlsUa(Path keyStore, Path trustStore, String password, String domain, int serverTlsPort, String transport)
            throws Exception {
        this.domain = domain;
        this.serverTlsPort = serverTlsPort;
        this.transport = transport;
        SipFactory f = SipFactory.getInstance();
        f.setPathName("gov.nist");
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", (transport.equals("tls") ? "tls-ua-" : "tcp-ua-") + STACKS.incrementAndGet());
        if (transport.equals("tls")) {
            tlsProperties(p, keyStore, trustStore, password);
        }
        stack = f.createSipStack(p);
        hf = f.createHeaderFactory();
        af = f.createAddressFactory();
        mf = f.createMessageFactory();
        provider = stack.createSipProvider(stack.createListeningPoint("127.0.0.1", port, transport));
        try {
            provider.addSipListener(this);
        } catch (TooManyListenersException e) {
            throw new IllegalStateException(e);
        }
        stack.start();
    }

    private static void tlsProperties(Properties p, Path keyStore, Path trustStore, String password) {
        p.setProperty("javax.net.ssl.keyStore", keyStore.toString());
        p.setProperty("javax.net.ssl.keyStorePassword", password);
        p.setProperty("javax.net.ssl.keyStoreType", "PKCS12");
        p.setProperty("javax.net.ssl.trustStore", trustStore.toString());
        p.setProperty("javax.net.ssl.trustStorePassword", password);
        p.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
        p.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", "Disabled");
        p.setProperty("gov.nist.javax.sip.ENABLED_CIPHER_SUITES", "TLS_AES_128_GCM_SHA256,TLS_AES_256_GCM_SHA384,"
                + "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        p.setProperty("gov.nist.javax.sip.TLS_CLIENT_PROTOCOLS", "TLSv1.3,TLSv1.2");
    }

    /** REGISTER over TLS, answering one digest challenge; the final response. */
    public Response register(String user, String password) throws Exception {
        Response first = sendRegister(user, null, null);
        if (first.getStatusCode() != Response.UNAUTHORIZED) {
            return first;
        }
        return sendRegister(user, first, password);
    }

    /** Removes our binding (Expires: 0), answering one digest challenge; the final response. */
    public Response unregister(String user, String password) throws Exception {
        Response first = sendRegister(user, null, password, 0);
        return first.getStatusCode() == Response.UNAUTHORIZED ? sendRegister(user, first, password, 0) : first;
    }

    /** REGISTER with an Authorization for {@code challenge} (null: none). */
    public Response sendRegister(String user, Response challenge, String password) throws Exception {
        return sendRegister(user, challenge, password, 600);
    }

    private Response sendRegister(String user, Response challenge, String password, int expires) throws Exception {
        SipURI registrar = af.createSipURI(null, domain);
        SipURI aor = af.createSipURI(user, domain);
        Request r = mf.createRequest(registrar, Request.REGISTER, provider.getNewCallId(),
                hf.createCSeqHeader(++cseq, Request.REGISTER), hf.createFromHeader(af.createAddress(aor), "t" + cseq),
                hf.createToHeader(af.createAddress(aor), null),
                List.of(hf.createViaHeader("127.0.0.1", port, transport, null)), hf.createMaxForwardsHeader(70));
        r.addHeader(hf.createRouteHeader(af.createAddress(serverHop())));
        r.addHeader(contact(user));
        r.addHeader(hf.createExpiresHeader(expires));
        if (challenge != null) {
            r.addHeader(authorization(challenge, user, password, Request.REGISTER, "sip:" + domain, false));
        }
        return transact(r);
    }

    /** INVITE {@code to}@domain through the engine's TLS port as {@code from}, answering a 407; returns the call. */
    public Call call(String from, String password, String to, String sdp) throws Exception {
        return call(serverTlsPort, from, password, to, sdp);
    }

    /**
     * INVITE sent to the engine at 127.0.0.1:{@code hopPort} over TLS: its TLS port, or the source port of a
     * connection the engine opened to us (a registrar calling a registered trunk on its registration connection;
     * nothing else listens there).
     */
    public Call call(int hopPort, String from, String password, String to, String sdp) throws Exception {
        Request invite = invite(from, to, sdp, ++cseq, hopPort);
        Response r = transact(invite);
        if (r.getStatusCode() == Response.PROXY_AUTHENTICATION_REQUIRED || r.getStatusCode() == Response.UNAUTHORIZED) {
            Request again = invite(from, to, sdp, ++cseq, hopPort);
            again.addHeader(authorization(r, from, password, Request.INVITE,
                    invite.getRequestURI().toString(), r.getStatusCode() == Response.PROXY_AUTHENTICATION_REQUIRED));
            r = transact(again);
        }
        if (r.getStatusCode() != Response.OK) {
            return new Call(null, "", r);
        }
        Dialog d = lastDialog;
        Request ack = d.createAck(((CSeqHeader) r.getHeader(CSeqHeader.NAME)).getSeqNumber());
        d.sendAck(ack);
        return new Call(d, r.getRawContent() == null ? "" : new String(r.getRawContent(), StandardCharsets.UTF_8), r);
    }

    /**
     * One INVITE to the engine at 127.0.0.1:{@code hopPort}, its final response as it is (a challenge is not answered;
     * a 2xx is ACKed).
     */
    public Response inviteOnce(int hopPort, String from, String to, String sdp) throws Exception {
        Response r = transact(invite(from, to, sdp, ++cseq, hopPort));
        if (r.getStatusCode() == Response.OK) {
            lastDialog.sendAck(lastDialog.createAck(((CSeqHeader) r.getHeader(CSeqHeader.NAME)).getSeqNumber()));
        }
        return r;
    }

    private volatile Dialog lastDialog;

    private Request invite(String from, String to, String sdp, long seq, int hopPort) throws Exception {
        SipURI target = af.createSipURI(requestUser != null ? requestUser : to, domain);
        target.setSecure(sipsRequestUri);
        SipURI fromUri = af.createSipURI(from, domain);
        Request r = mf.createRequest(target, Request.INVITE, provider.getNewCallId(),
                hf.createCSeqHeader(seq, Request.INVITE), hf.createFromHeader(af.createAddress(fromUri), "f" + seq),
                hf.createToHeader(af.createAddress(af.createSipURI(to, domain)), null),
                List.of(hf.createViaHeader("127.0.0.1", port, transport, null)), hf.createMaxForwardsHeader(70),
                hf.createContentTypeHeader("application", "sdp"), sdp);
        r.addHeader(hf.createRouteHeader(af.createAddress(hop(hopPort))));
        r.addHeader(contact(from, sipsContact || sipsRequestUri)); // RFC 3261 §8.1.1.8
        return r;
    }

    /** Answers an INVITE received with 200 and {@code sdp}; the call (the ACK arrives in {@link #acks}). */
    public Call answer(Incoming in, String user, String sdp) throws Exception {
        Response ok = mf.createResponse(Response.OK, in.request());
        ((ToHeader) ok.getHeader(ToHeader.NAME)).setTag("a" + System.nanoTime());
        ok.addHeader(contact(user));
        ContentTypeHeader ct = hf.createContentTypeHeader("application", "sdp");
        ok.setContent(sdp, ct);
        in.transaction().sendResponse(ok);
        return new Call(in.transaction().getDialog(), in.sdp(), ok);
    }

    /** Refuses an INVITE received. */
    public void reject(Incoming in, int code) throws Exception {
        in.transaction().sendResponse(mf.createResponse(code, in.request()));
    }

    /** BYE inside the call; the response's status. */
    public int bye(Call call) throws Exception {
        Request bye = call.dialog().createRequest(Request.BYE);
        ClientTransaction ct = provider.getNewClientTransaction(bye);
        call.dialog().sendRequest(ct);
        Response r = responses.poll(10, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("no response to BYE over TLS");
        }
        return r.getStatusCode();
    }

    private SipURI serverHop() throws Exception {
        return hop(serverTlsPort);
    }

    private SipURI hop(int hopPort) throws Exception {
        SipURI next = af.createSipURI(null, "127.0.0.1");
        next.setPort(hopPort);
        next.setTransportParam(transport);
        next.setLrParam();
        return next;
    }

    private ContactHeader contact(String user) throws Exception {
        return contact(user, sipsContact);
    }

    private ContactHeader contact(String user, boolean sips) throws Exception {
        SipURI contact = af.createSipURI(user, "127.0.0.1");
        contact.setPort(contactPort);
        if (sips) {
            contact.setSecure(true);
        } else {
            contact.setTransportParam(transport);
        }
        return hf.createContactHeader(af.createAddress(contact));
    }

    private AuthorizationHeader authorization(Response challenge, String user, String password, String method,
                                              String uri, boolean proxy) throws Exception {
        WWWAuthenticateHeader w = (WWWAuthenticateHeader) challenge.getHeader(
                proxy ? ProxyAuthenticateHeader.NAME : WWWAuthenticateHeader.NAME);
        String ha1 = md5(user + ":" + w.getRealm() + ":" + password);
        String ha2 = md5(method + ":" + uri);
        AuthorizationHeader a = proxy ? hf.createProxyAuthorizationHeader("Digest") : hf.createAuthorizationHeader("Digest");
        a.setUsername(user);
        a.setRealm(w.getRealm());
        a.setNonce(w.getNonce());
        a.setURI(af.createURI(uri));
        a.setResponse(md5(ha1 + ":" + w.getNonce() + ":" + ha2));
        a.setAlgorithm("MD5");
        return a;
    }

    private static String md5(String s) throws Exception {
        byte[] d = MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
        return String.format("%032x", new BigInteger(1, d));
    }

    private Response transact(Request r) throws Exception {
        responses.clear();
        ClientTransaction ct = provider.getNewClientTransaction(r);
        if (Request.INVITE.equals(r.getMethod())) {
            lastDialog = ct.getDialog(); // automatic dialog support made it
        }
        ct.sendRequest();
        Response resp = responses.poll(15, TimeUnit.SECONDS);
        if (resp == null) {
            throw new AssertionError("no final response to " + r.getMethod() + " over TLS");
        }
        if (!transport.equalsIgnoreCase(((ViaHeader) resp.getHeader(ViaHeader.NAME)).getTransport())) {
            throw new AssertionError("response not over " + transport + ": " + resp);
        }
        return resp;
    }

    @Override
    public void processResponse(ResponseEvent e) {
        if (e.getResponse().getStatusCode() >= 200) {
            responses.add(e.getResponse());
        }
    }

    @Override
    public void processRequest(RequestEvent e) {
        Request req = e.getRequest();
        try {
            switch (req.getMethod()) {
                case Request.INVITE -> {
                    ServerTransaction st = e.getServerTransaction() != null ? e.getServerTransaction()
                            : provider.getNewServerTransaction(req);
                    if (((ToHeader) req.getHeader(ToHeader.NAME)).getTag() != null) {
                        Response ok = mf.createResponse(Response.OK, req); // a refresh: keep the session
                        ok.addHeader(contact("ua"));
                        st.sendResponse(ok);
                        return;
                    }
                    invites.add(new Incoming(req, st));
                }
                case Request.ACK -> acks.add(req);
                case Request.REGISTER -> {
                    ServerTransaction st = e.getServerTransaction() != null ? e.getServerTransaction()
                            : provider.getNewServerTransaction(req);
                    st.sendResponse(mf.createResponse(Response.OK, req));
                    registers.add(new Received(req, ((gov.nist.javax.sip.RequestEventExt) e).getRemotePort()));
                }
                case Request.BYE -> {
                    ServerTransaction st = e.getServerTransaction() != null ? e.getServerTransaction()
                            : provider.getNewServerTransaction(req);
                    st.sendResponse(mf.createResponse(Response.OK, req));
                    byes.add(req);
                }
                default -> {
                    ServerTransaction st = e.getServerTransaction() != null ? e.getServerTransaction()
                            : provider.getNewServerTransaction(req);
                    st.sendResponse(mf.createResponse(Response.OK, req));
                }
            }
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public void processTimeout(TimeoutEvent e) {
    }

    @Override
    public void processIOException(IOExceptionEvent e) {
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent e) {
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent e) {
    }

    @Override
    public void close() {
        stack.stop();
    }
}
