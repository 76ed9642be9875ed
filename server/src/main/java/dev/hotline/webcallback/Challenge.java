package dev.hotline.webcallback;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The challenge against bots (OUT-4), needing no outside service: the server issues a token signed with the enterprise's
 * secret ({@code expiry.random.hmac}); the visitor's browser must find a nonce such that SHA-256(token ":" nonce) starts with
 * {@link #DIFFICULTY_BITS} zero bits (about 65 000 hashes, a second or two in a browser; a bot pays the same for every
 * request). A token is good for {@link #VALIDITY} and once.
 */
final class Challenge {
    static final int DIFFICULTY_BITS = 16;
    static final Duration VALIDITY = Duration.ofMinutes(10);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Tokens already used, until they expire. */
    private final Map<String, Instant> used = new ConcurrentHashMap<>();

    record Issued(String token, int difficultyBits, Instant expiresAt) {}

    Issued issue(String secret, Instant now) {
        byte[] r = new byte[12];
        RANDOM.nextBytes(r);
        Instant expires = now.plus(VALIDITY);
        String body = expires.getEpochSecond() + "." + HexFormat.of().formatHex(r);
        return new Issued(body + "." + sign(secret, body), DIFFICULTY_BITS, expires);
    }

    /** Null when the token is good, signed by us, unexpired, not used before and solved by {@code nonce}; else why not. */
    String verify(String secret, String token, String nonce, Instant now) {
        if (token == null || nonce == null || token.length() > 200 || nonce.length() > 40) return "a challenge token and its nonce are required";
        String[] p = token.split("\\.");
        if (p.length != 3) return "not a challenge of ours";
        String body = p[0] + "." + p[1];
        if (!MessageDigest.isEqual(sign(secret, body).getBytes(StandardCharsets.US_ASCII), p[2].getBytes(StandardCharsets.US_ASCII))) {
            return "not a challenge of ours";
        }
        Instant expires;
        try {
            expires = Instant.ofEpochSecond(Long.parseLong(p[0]));
        } catch (NumberFormatException e) {
            return "not a challenge of ours";
        }
        if (now.isAfter(expires)) return "the challenge expired; ask for a new one";
        if (!solves(token, nonce)) return "the nonce does not solve the challenge";
        used.values().removeIf(at -> now.isAfter(at));
        if (used.putIfAbsent(token, expires) != null) return "the challenge was used already";
        return null;
    }

    /** Whether SHA-256(token ":" nonce) starts with {@link #DIFFICULTY_BITS} zero bits. */
    static boolean solves(String token, String nonce) {
        byte[] h = sha256(token + ":" + nonce);
        int bits = DIFFICULTY_BITS;
        for (int i = 0; bits > 0; i++, bits -= 8) {
            int mask = bits >= 8 ? 0xFF : (0xFF << (8 - bits)) & 0xFF;
            if ((h[i] & mask) != 0) return false;
        }
        return true;
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String randomKey(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
