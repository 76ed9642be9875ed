package dev.hotline.engine.sip;

import dev.hotline.engine.call.Target;
import gov.nist.javax.sip.SipStackExt;
import gov.nist.javax.sip.clientauthutils.AuthenticationHelper;
import gov.nist.javax.sip.clientauthutils.UserCredentials;
import javax.sip.ClientTransaction;
import javax.sip.SipException;
import javax.sip.message.Response;

/**
 * Answers a carrier's digest challenge (401 WWW-Authenticate or 407 Proxy-Authenticate, RFC 3261 §22.2 and
 * §8.1.3.5) to one of our requests: the REGISTER of a registering trunk ({@link TrunkRegistrar}) or the INVITE of a
 * trunk call ({@link LegSignalling}). JAIN-SIP's {@link AuthenticationHelper} builds the retry: the same request,
 * Call-ID and From tag, CSeq + 1, a new branch, with Authorization or Proxy-Authorization. The credentials come from
 * the challenged transaction's application data: the trunk's registration, or the trunk account of the leg's target.
 */
final class CarrierChallenges {
    private final SipEngine engine;
    private final AuthenticationHelper helper;

    CarrierChallenges(SipEngine engine) {
        this.engine = engine;
        this.helper = ((SipStackExt) engine.stack()).getAuthenticationHelper((ct, realm) -> credentials(ct.getApplicationData()),
                engine.msg.hf);
    }

    /** The credentials for a challenge to the transaction carrying {@code data}; null when there are none. */
    private static UserCredentials credentials(Object data) {
        if (data instanceof TrunkRegistrar.Attempt a) {
            return of(a.entry().reg.username(), a.entry().reg.password(), a.entry().reg.domain());
        }
        if (data instanceof SipLeg leg && account(leg) != null) {
            Target.TrunkAccount acc = account(leg);
            return of(acc.username(), acc.password(), ((Target.Uri) leg.dialRequest().target()).host());
        }
        return null;
    }

    /** The trunk account with credentials that an outbound leg was dialled with, or null. */
    static Target.TrunkAccount account(SipLeg leg) {
        if (leg.dialRequest() != null && leg.dialRequest().target() instanceof Target.Uri u && u.account() != null
                && u.account().hasCredentials()) {
            return u.account();
        }
        return null;
    }

    private static UserCredentials of(String user, String password, String domain) {
        return new UserCredentials() {
            public String getUserName() { return user; }
            public String getPassword() { return password == null ? "" : password; }
            public String getSipDomain() { return domain; }
        };
    }

    /**
     * The retry of {@code challenged}'s request with credentials, not yet sent; {@code cacheSeconds} keeps the
     * Authorization for later requests of the Call-ID (0: not kept).
     */
    ClientTransaction retry(Response challenge, ClientTransaction challenged, int cacheSeconds) throws SipException {
        return helper.handleChallenge(challenge, challenged, engine.msg.provider, cacheSeconds);
    }
}
