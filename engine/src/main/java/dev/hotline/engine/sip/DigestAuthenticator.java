package dev.hotline.engine.sip;

import dev.hotline.engine.call.SipAccount;
import dev.hotline.engine.call.SipAccountDirectory;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HTTP digest authentication for SIP (RFC 3261 §22, RFC 2617 §3.2, MD5 per RFC 8760).
 * Nonces are stateless: timestamp + HMAC, valid for {@link #NONCE_LIFETIME_MILLIS}.
 */
public final class DigestAuthenticator {
    static final long NONCE_LIFETIME_MILLIS = 5 * 60_000;
    private final SipAccountDirectory directory;
    private final Clock clock;
    private final byte[] secret = new byte[32];

    /** The outcome of checking credentials. */
    public sealed interface Result {
        record Ok(SipAccount account) implements Result {
        }

        /** Nonce too old or not ours: challenge again with stale=true (RFC 2617 §3.2.1). */
        record Stale() implements Result {
        }

        record Failed(String reason) implements Result {
        }
    }

    /** The digest parameters received in an Authorization/Proxy-Authorization header. */
    public record Credentials(String username, String realm, String nonce, String uri, String response,
                              String algorithm, String qop, String nc, String cnonce) {
    }

    public DigestAuthenticator(SipAccountDirectory directory, Clock clock) {
        this.directory = directory;
        this.clock = clock;
        new SecureRandom().nextBytes(secret);
    }

    public String newNonce() {
        String ts = Long.toString(clock.millis(), 36);
        return ts + "." + sign(ts);
    }

    /** Whether {@code user} is an account of {@code realm} (SEC-1 counts requests to users that are not). */
    boolean knows(String realm, String user) {
        return directory.lookup(realm, user).isPresent();
    }

    public Result verify(String method, String expectedRealm, String expectedUser, Credentials c) {
        if (c.username() == null || c.nonce() == null || c.response() == null || c.uri() == null) {
            return new Result.Failed("incomplete credentials");
        }
        if (c.algorithm() != null && !c.algorithm().equalsIgnoreCase("MD5")) {
            return new Result.Failed("unsupported algorithm " + c.algorithm());
        }
        if (!expectedRealm.equalsIgnoreCase(unquote(c.realm()))) {
            return new Result.Failed("wrong realm " + c.realm());
        }
        if (!nonceValid(c.nonce())) {
            return new Result.Stale();
        }
        if (expectedUser != null && !expectedUser.equals(c.username())) {
            return new Result.Failed("username " + c.username() + " does not match " + expectedUser);
        }
        Optional<SipAccount> account = directory.lookup(expectedRealm, c.username());
        if (account.isEmpty()) {
            return new Result.Failed("unknown user " + c.username());
        }
        String ha1 = md5(c.username() + ":" + unquote(c.realm()) + ":" + account.get().password());
        String ha2 = md5(method + ":" + c.uri());
        String expected;
        if (c.qop() != null && !c.qop().isEmpty()) {
            // RFC 2617 §3.2.2.1 with qop=auth
            expected = md5(ha1 + ":" + c.nonce() + ":" + c.nc() + ":" + c.cnonce() + ":" + c.qop() + ":" + ha2);
        } else {
            expected = md5(ha1 + ":" + c.nonce() + ":" + ha2);
        }
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                c.response().toLowerCase().getBytes(StandardCharsets.US_ASCII))) {
            return new Result.Failed("wrong password");
        }
        return new Result.Ok(account.get());
    }

    boolean nonceValid(String nonce) {
        int dot = nonce.indexOf('.');
        if (dot <= 0) {
            return false;
        }
        String ts = nonce.substring(0, dot);
        if (!MessageDigest.isEqual(sign(ts).getBytes(StandardCharsets.US_ASCII),
                nonce.substring(dot + 1).getBytes(StandardCharsets.US_ASCII))) {
            return false;
        }
        try {
            long issued = Long.parseLong(ts, 36);
            long age = clock.millis() - issued;
            return age >= -1000 && age <= NONCE_LIFETIME_MILLIS;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private String sign(String ts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] h = mac.doFinal(ts.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(h).substring(0, 22);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String unquote(String s) {
        if (s == null) {
            return "";
        }
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }
}
