package dev.hotline.engine.sdp;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * One SDES key of an SDP a=crypto attribute (RFC 4568 §9.1): {@code a=crypto:<tag> <suite> inline:<key||salt>}.
 * Only the suites of RFC 4568 §6.2.1 the engine's SRTP speaks: AES_CM_128_HMAC_SHA1_80 and _32 (16-byte key, 14-byte
 * salt). A lifetime is accepted and ignored (no re-keying: a call never reaches 2^31 packets); an MKI, several keys
 * or session parameters make the line unusable (RFC 4568 §6.1: the answerer skips lines it cannot accept).
 *
 * @param tag   the offerer's tag, repeated in the answer (RFC 4568 §5.1.2)
 * @param suite the crypto-suite name
 * @param key   the 16-byte master key
 * @param salt  the 14-byte master salt
 */
public record SdesCrypto(int tag, String suite, byte[] key, byte[] salt) {
    public static final String AES_CM_128_HMAC_SHA1_80 = "AES_CM_128_HMAC_SHA1_80";
    public static final String AES_CM_128_HMAC_SHA1_32 = "AES_CM_128_HMAC_SHA1_32";
    private static final int KEY = 16;
    private static final int SALT = 14;
    private static final SecureRandom RANDOM = new SecureRandom();

    public SdesCrypto {
        if (tag < 0 || tag > 999_999_999) {
            throw new IllegalArgumentException("crypto tag out of range");
        }
        if (!AES_CM_128_HMAC_SHA1_80.equals(suite) && !AES_CM_128_HMAC_SHA1_32.equals(suite)) {
            throw new IllegalArgumentException("unsupported crypto suite " + suite);
        }
        if (key.length != KEY || salt.length != SALT) {
            throw new IllegalArgumentException("key and salt must be 16 and 14 bytes");
        }
        key = key.clone();
        salt = salt.clone();
    }

    /** A fresh random key and salt (RFC 4568 §6.1: each direction has its own key). */
    public static SdesCrypto generate(int tag, String suite) {
        byte[] k = new byte[KEY];
        byte[] s = new byte[SALT];
        RANDOM.nextBytes(k);
        RANDOM.nextBytes(s);
        return new SdesCrypto(tag, suite, k, s);
    }

    /** The value of an a=crypto attribute (after "crypto:"), or empty when the engine cannot use it. */
    public static Optional<SdesCrypto> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String[] f = value.trim().split("\\s+");
        if (f.length != 3) {
            return Optional.empty(); // no session parameters supported (RFC 4568 §6.3)
        }
        String suite = f[1].toUpperCase(Locale.ROOT);
        if (!suite.equals(AES_CM_128_HMAC_SHA1_80) && !suite.equals(AES_CM_128_HMAC_SHA1_32)) {
            return Optional.empty();
        }
        String params = f[2];
        if (params.contains(";") || !params.regionMatches(true, 0, "inline:", 0, 7)) {
            return Optional.empty(); // one key, inline method only (RFC 4568 §6.1, §9.2)
        }
        String[] parts = params.substring(7).split("\\|");
        if (parts.length > 2 || (parts.length == 2 && parts[1].contains(":"))) {
            return Optional.empty(); // an MKI (length:value) is not supported
        }
        try {
            int tag = Integer.parseInt(f[0]);
            byte[] both = Base64.getDecoder().decode(parts[0]);
            if (both.length != KEY + SALT) {
                return Optional.empty();
            }
            return Optional.of(new SdesCrypto(tag, suite, Arrays.copyOf(both, KEY), Arrays.copyOfRange(both, KEY, KEY + SALT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The value of the a=crypto attribute (after "crypto:"). */
    public String attribute() {
        byte[] both = Arrays.copyOf(key, KEY + SALT);
        System.arraycopy(salt, 0, both, KEY, SALT);
        return tag + " " + suite + " inline:" + Base64.getEncoder().encodeToString(both);
    }

    /** The same suite and tag with a fresh key: our answer to this offer (RFC 4568 §7.1.2). */
    public SdesCrypto answer() {
        return generate(tag, suite);
    }

    public boolean is32BitTag() {
        return AES_CM_128_HMAC_SHA1_32.equals(suite);
    }

    @Override
    public String toString() {
        return "SdesCrypto[" + tag + " " + suite + "]"; // never the key
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SdesCrypto c && c.tag == tag && c.suite.equals(suite) && Arrays.equals(c.key, key)
                && Arrays.equals(c.salt, salt);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }
}
