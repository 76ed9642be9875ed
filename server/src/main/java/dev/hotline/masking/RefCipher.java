package dev.hotline.masking;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The opaque reference a masked viewer dials instead of a number it cannot see: {@code ref:} and the enterprise id and
 * number sealed with AES-GCM under a key made at start (a reference lives as long as the process; a reloaded desk gets
 * new ones). A reference of another enterprise, altered or of an earlier run does not open.
 */
final class RefCipher {
    static final String PREFIX = "ref:";
    private static final SecureRandom RANDOM = new SecureRandom();
    private final SecretKeySpec key;

    RefCipher() {
        byte[] k = new byte[16];
        RANDOM.nextBytes(k);
        this.key = new SecretKeySpec(k, "AES");
    }

    String seal(long enterpriseId, String number) {
        try {
            byte[] iv = new byte[12];
            RANDOM.nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            c.updateAAD(Long.toString(enterpriseId).getBytes(StandardCharsets.US_ASCII));
            byte[] sealed = c.doFinal(number.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
            return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    Optional<String> open(long enterpriseId, String ref) {
        if (ref == null || !ref.startsWith(PREFIX)) return Optional.empty();
        try {
            byte[] in = Base64.getUrlDecoder().decode(ref.substring(PREFIX.length()));
            if (in.length <= 12 + 16) return Optional.empty();
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, in, 0, 12));
            c.updateAAD(Long.toString(enterpriseId).getBytes(StandardCharsets.US_ASCII));
            return Optional.of(new String(c.doFinal(in, 12, in.length - 12), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return Optional.empty();
        }
    }
}
