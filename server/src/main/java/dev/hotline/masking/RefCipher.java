package dev.hotline.masking;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The opaque reference a masked viewer dials instead of a number it cannot see: {@code ref:} and the number with its
 * expiry time sealed with AES-GCM (the enterprise id bound as associated data) under a key kept in a file of the data
 * folder, made at the first start. Nothing is remembered per reference: a reference opens after a restart until it
 * expires ({@link #TTL}); one of another enterprise, altered, expired or sealed under another key does not open.
 */
final class RefCipher {
    static final String PREFIX = "ref:";
    /** How long a reference dials: a desk left open over a long weekend still works. */
    static final Duration TTL = Duration.ofDays(7);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int IV = 12;
    private final SecretKeySpec key;
    private final Clock clock;

    RefCipher(byte[] key, Clock clock) {
        this.key = new SecretKeySpec(key, "AES");
        this.clock = clock;
    }

    /** The cipher with the key in {@code file}, made (32 random bytes, owner-only) if it does not exist. */
    static RefCipher fromKeyFile(Path file, Clock clock) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                byte[] k = new byte[32];
                RANDOM.nextBytes(k);
                Path tmp = Files.createTempFile(file.getParent(), "ref", ".tmp");
                Files.writeString(tmp, Base64.getEncoder().encodeToString(k));
                try {
                    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system: left as made
                }
                try {
                    Files.move(tmp, file);
                } catch (IOException raced) {
                    Files.deleteIfExists(tmp); // another start made it first: use theirs
                }
            }
            return new RefCipher(Base64.getDecoder().decode(Files.readString(file).strip()), clock);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot read or make the number reference key file " + file + ": " + e.getMessage(), e);
        }
    }

    String seal(long enterpriseId, String number) {
        try {
            byte[] iv = new byte[IV];
            RANDOM.nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            c.updateAAD(Long.toString(enterpriseId).getBytes(StandardCharsets.US_ASCII));
            byte[] n = number.getBytes(StandardCharsets.UTF_8);
            long expires = clock.instant().plus(TTL).getEpochSecond();
            byte[] sealed = c.doFinal(ByteBuffer.allocate(Long.BYTES + n.length).putLong(expires).put(n).array());
            byte[] out = ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
            return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The number sealed in {@code ref} for the enterprise, if it opens and has not expired. */
    Optional<String> open(long enterpriseId, String ref) {
        if (ref == null || !ref.startsWith(PREFIX)) return Optional.empty();
        try {
            byte[] in = Base64.getUrlDecoder().decode(ref.substring(PREFIX.length()));
            if (in.length <= IV + 16 + Long.BYTES) return Optional.empty();
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, in, 0, IV));
            c.updateAAD(Long.toString(enterpriseId).getBytes(StandardCharsets.US_ASCII));
            ByteBuffer plain = ByteBuffer.wrap(c.doFinal(in, IV, in.length - IV));
            if (plain.getLong() < clock.instant().getEpochSecond()) return Optional.empty();
            byte[] n = new byte[plain.remaining()];
            plain.get(n);
            return Optional.of(new String(n, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return Optional.empty();
        }
    }
}
