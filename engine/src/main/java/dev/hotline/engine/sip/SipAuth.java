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
 * the accounts, and tells the {@link SipShield} of every failure (SEC-1: sources and accounts that fail too often are
 * banned).
 */
final class SipAuth {
    private static final Logger log = LoggerFactory.getLogger(SipAuth.class);

    private final EngineConfig config;
    private final DigestAuthenticator auth;
    private final SipShield shield;
    private final SipMessages msg;

    SipAuth(EngineConfig config, DigestAuthenticator auth, SipShield shield, SipMessages msg) {
        this.config = config;
        this.auth = auth;
        this.shield = shield;
        this.msg = msg;
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
            // SEC-1: a REGISTER for a user that is no account is enumeration, answered alike all the same. (An INVITE's
            // From user is not counted: phones and peers send INVITEs from numbers of all kinds; a digest answer for an
            // unknown user counts as a failed authentication.)
            if (Request.REGISTER.equals(req.getMethod()) && user != null && !auth.knows(realm, user)) {
                shield.recordUnknownUser(ip, req.getMethod(), user);
            }
            challenge(st, req, realm, false);
            return Optional.empty();
        }
        ParametersHeader ph = (ParametersHeader) a;
        String nc = ph.getParameter("nc");
        DigestAuthenticator.Credentials c = new DigestAuthenticator.Credentials(a.getUsername(), a.getRealm(),
                a.getNonce(), ph.getParameter("uri"), a.getResponse(), a.getAlgorithm(), a.getQop(), nc, a.getCNonce());
        String account = a.getUsername() + "@" + realm;
        if (shield.isLocked(account)) {
            // SEC-1: guessing spread over many addresses locked the account; answered like a wrong password
            log.warn("SIP authentication refused for locked account {} from {} ({})", account, ip, req.getMethod());
            shield.recordFailure(ip, null);
            msg.send(st, msg.response(Response.FORBIDDEN, req, null, "Forbidden"));
            return Optional.empty();
        }
        DigestAuthenticator.Result result = auth.verify(req.getMethod(), realm, anyUser ? null : user, c);
        if (result instanceof DigestAuthenticator.Result.Ok ok) {
            return Optional.of(ok.account());
        }
        if (result instanceof DigestAuthenticator.Result.Failed f) {
            Optional<String> ban = shield.recordFailure(ip, account);
            log.warn("SIP authentication failed for {} from {} ({}): {}{}", account, ip, req.getMethod(), f.reason(),
                    ban.map(b -> "; banned for " + config.authBanDuration() + ": " + b).orElse(""));
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
