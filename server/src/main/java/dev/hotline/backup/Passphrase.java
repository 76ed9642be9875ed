package dev.hotline.backup;

import dev.hotline.domain.DomainException;
import dev.hotline.mail.SecretBox;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secrets of a backup file (SIP passwords, trunk secrets, webhook keys, the SMTP password) encrypted under a
 * passphrase the admin gives: AES-256-GCM with a key from PBKDF2-HMAC-SHA256 over the passphrase and the file's salt.
 * The manifest keeps the salt, the iteration count and a known text sealed with the key, so a wrong passphrase is told
 * before anything is restored.
 */
final class Passphrase {
    static final String KDF = "PBKDF2WithHmacSHA256";
    static final int ITERATIONS = 210_000;
    static final String CHECK_TEXT = "hotline-backup";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final byte[] salt;
    private final int iterations;

    private Passphrase(String passphrase, byte[] salt, int iterations) {
        this.salt = salt.clone();
        this.iterations = iterations;
        try {
            PBEKeySpec spec = new PBEKeySpec(passphrase.toCharArray(), salt, iterations, 256);
            this.key = new SecretKeySpec(SecretKeyFactory.getInstance(KDF).generateSecret(spec).getEncoded(), "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new key for an export; the passphrase must be 8 to 200 characters. */
    static Passphrase forExport(String passphrase) {
        check(passphrase);
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return new Passphrase(passphrase, salt, ITERATIONS);
    }

    /** The key of a file from its manifest's salt and iterations; a wrong passphrase is a 400. */
    static Passphrase forRestore(String passphrase, String saltBase64, int iterations, String check) {
        check(passphrase);
        if (iterations < 10_000 || iterations > 10_000_000) throw DomainException.badRequest("manifest.json: bad secrets.iterations");
        byte[] salt;
        try {
            salt = Base64.getDecoder().decode(saltBase64);
        } catch (IllegalArgumentException e) {
            throw DomainException.badRequest("manifest.json: bad secrets.salt");
        }
        Passphrase p = new Passphrase(passphrase, salt, iterations);
        String opened;
        try {
            opened = p.decrypt(check);
        } catch (DomainException e) {
            opened = null;
        }
        if (!CHECK_TEXT.equals(opened)) throw DomainException.invalid("passphrase", "does not open this file's secrets");
        return p;
    }

    private static void check(String passphrase) {
        if (passphrase == null || passphrase.length() < 8) throw DomainException.invalid("passphrase", "at least 8 characters");
        if (passphrase.length() > 200) throw DomainException.invalid("passphrase", "at most 200 characters");
    }

    String saltBase64() {
        return Base64.getEncoder().encodeToString(salt);
    }

    int iterations() {
        return iterations;
    }

    String encrypt(String plain) {
        try {
            return "enc:" + Base64.getEncoder().encodeToString(SecretBox.seal(key, plain.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A value sealed by {@link #encrypt}; anything else (or a value sealed under another passphrase) is a 400. */
    String decrypt(String sealed) {
        if (sealed == null || !sealed.startsWith("enc:")) throw DomainException.badRequest("a secret is not encrypted as this format says");
        try {
            byte[] in = Base64.getDecoder().decode(sealed.substring(4));
            if (in.length < 12 + 16) throw DomainException.badRequest("a secret is too short");
            return new String(SecretBox.open(key, in), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw DomainException.badRequest("a secret cannot be opened with this passphrase");
        }
    }
}
