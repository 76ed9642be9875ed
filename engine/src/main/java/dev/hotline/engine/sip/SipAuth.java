package dev.hotline.engine.sip;

import dev.hotline.engine.call.EngineConfig;
import dev.hotline.engine.call.SipAccount;
import gov.nist.javax.sip.header.ParametersHeader;
import java.util.Optional;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Digest authentication of REGISTER and INVITE (RFC 3261 §22): challenges, checks the answer against
 * the accounts, and bans a source that fails too often (SEC-1, {@link AuthThrottle}).
 */
final class SipAuth {
    private static final Logger log = LoggerFactory.getLogger(SipAuth.class);

    private final EngineConfig config;
    private final DigestAuthenticator auth;
    private final AuthThrottle throttle;
    private final SipMessages msg;

    SipAuth(EngineConfig config, DigestAuthenticator auth, AuthThrottle throttle, SipMessages msg) {
        this.config = config;
        this.auth = auth;
        this.throttle = throttle;
        this.msg = msg;
    }

    /** SEC-1: a banned source gets no answer at all. */
    boolean isBanned(String ip) {
        return throttle.isBanned(ip);
    }

    /** Forgets failures and bans that have run out (the engine's sweeper). */
    void purge() {
        throttle.purge();
    }

    /**
     * Digest authentication of a request (RFC 3261 §22.2, 401 + WWW-Authenticate). Returns the account,
     * or empty after having answered the request (challenge or 403).
     */
    Optional<SipAccount> authenticate(RequestEvent e, ServerTransaction st, String ip, String realm,
                                      String user, boolean anyUser) throws Exception {
        Request req = e.getRequest();
        AuthorizationHeader a = (AuthorizationHeader) req.getHeader(AuthorizationHeader.NAME);
        if (a == null) {
            a = (AuthorizationHeader) req.getHeader("Proxy-Authorization");
        }
        if (a == null || !"Digest".equalsIgnoreCase(a.getScheme())) {
            challenge(st, req, realm, false);
            return Optional.empty();
        }
        ParametersHeader ph = (ParametersHeader) a;
        String nc = ph.getParameter("nc");
        DigestAuthenticator.Credentials c = new DigestAuthenticator.Credentials(a.getUsername(), a.getRealm(),
                a.getNonce(), ph.getParameter("uri"), a.getResponse(), a.getAlgorithm(), a.getQop(), nc, a.getCNonce());
        DigestAuthenticator.Result result = auth.verify(req.getMethod(), realm, anyUser ? null : user, c);
        if (result instanceof DigestAuthenticator.Result.Ok ok) {
            return Optional.of(ok.account());
        }
        if (result instanceof DigestAuthenticator.Result.Failed f) {
            boolean banned = throttle.recordFailure(ip);
            log.warn("SIP authentication failed for {}@{} from {} ({}): {}{}", a.getUsername(), realm, ip,
                    req.getMethod(), f.reason(), banned ? "; source banned for " + config.authBanDuration() : "");
            msg.send(st, msg.response(Response.FORBIDDEN, req, null, "Forbidden"));
            return Optional.empty();
        }
        challenge(st, req, realm, true); // stale nonce
        return Optional.empty();
    }

    private void challenge(ServerTransaction st, Request req, String realm, boolean stale) throws Exception {
        Response r = msg.response(Response.UNAUTHORIZED, req, null);
        WWWAuthenticateHeader w = msg.hf.createWWWAuthenticateHeader("Digest");
        w.setRealm(realm);
        w.setNonce(auth.newNonce());
        w.setAlgorithm("MD5");
        w.setQop("auth");
        if (stale) {
            w.setParameter("stale", "true");
        }
        r.addHeader(w);
        msg.send(st, r);
    }
}
