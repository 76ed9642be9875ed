package dev.hotline.engine.sip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.engine.call.SipAccount;
import dev.hotline.engine.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DigestAuthenticatorTest {
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final DigestAuthenticator auth = new DigestAuthenticator(
            (domain, user) -> "acme.example".equals(domain) && "1001".equals(user)
                    ? Optional.of(new SipAccount("ext-1001", "s3cret")) : Optional.empty(), clock);

    private DigestAuthenticator.Credentials creds(String nonce, String password, String user) {
        String uri = "sip:acme.example";
        String ha1 = DigestAuthenticator.md5(user + ":acme.example:" + password);
        String ha2 = DigestAuthenticator.md5("REGISTER:" + uri);
        String response = DigestAuthenticator.md5(ha1 + ":" + nonce + ":00000001:abcdef:auth:" + ha2);
        return new DigestAuthenticator.Credentials(user, "acme.example", nonce, uri, response, "MD5", "auth",
                "00000001", "abcdef");
    }

    @Test
    void rfc2617ResponseWithQopAuthIsAccepted() {
        String nonce = auth.newNonce();
        DigestAuthenticator.Result r = auth.verify("REGISTER", "acme.example", "1001", creds(nonce, "s3cret", "1001"));
        assertThat(r).isInstanceOfSatisfying(DigestAuthenticator.Result.Ok.class,
                ok -> assertThat(ok.account().accountKey()).isEqualTo("ext-1001"));
    }

    @Test
    void responseWithoutQop() {
        String nonce = auth.newNonce();
        String ha1 = DigestAuthenticator.md5("1001:acme.example:s3cret");
        String ha2 = DigestAuthenticator.md5("INVITE:sip:2000@acme.example");
        String response = DigestAuthenticator.md5(ha1 + ":" + nonce + ":" + ha2);
        var c = new DigestAuthenticator.Credentials("1001", "\"acme.example\"", nonce, "sip:2000@acme.example",
                response, null, null, null, null);
        assertThat(auth.verify("INVITE", "acme.example", null, c)).isInstanceOf(DigestAuthenticator.Result.Ok.class);
    }

    @Test
    void wrongPasswordUnknownUserAndForeignRealmFail() {
        String nonce = auth.newNonce();
        assertThat(auth.verify("REGISTER", "acme.example", "1001", creds(nonce, "guess", "1001")))
                .isInstanceOf(DigestAuthenticator.Result.Failed.class);
        assertThat(auth.verify("REGISTER", "acme.example", "1002", creds(nonce, "s3cret", "1002")))
                .isInstanceOf(DigestAuthenticator.Result.Failed.class);
        assertThat(auth.verify("REGISTER", "other.example", "1001", creds(nonce, "s3cret", "1001")))
                .isInstanceOf(DigestAuthenticator.Result.Failed.class);
        // Authenticating as 1001 to register 1002's address is refused.
        assertThat(auth.verify("REGISTER", "acme.example", "1002", creds(nonce, "s3cret", "1001")))
                .isInstanceOf(DigestAuthenticator.Result.Failed.class);
    }

    @Test
    void oldOrForgedNoncesAreStale() {
        String nonce = auth.newNonce();
        clock.advance(Duration.ofMinutes(6));
        assertThat(auth.verify("REGISTER", "acme.example", "1001", creds(nonce, "s3cret", "1001")))
                .isInstanceOf(DigestAuthenticator.Result.Stale.class);
        assertThat(auth.verify("REGISTER", "acme.example", "1001", creds("abc.def", "s3cret", "1001")))
                .isInstanceOf(DigestAuthenticator.Result.Stale.class);
        assertThat(auth.verify("REGISTER", "acme.example", "1001", creds("nodot", "s3cret", "1001")))
                .isInstanceOf(DigestAuthenticator.Result.Stale.class);
    }
}
