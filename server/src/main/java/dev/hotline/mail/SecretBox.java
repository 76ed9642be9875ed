package dev.hotline.mail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts the SMTP passwords at rest: AES-256-GCM under a key kept in a file of the data folder (made at the first
 * start, readable by the server's user only), so that a copy of the database alone does not give the passwords away.
 */
public final class SecretBox {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final SecretKeySpec key;

    private SecretBox(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /** The box with the key in {@code file}, made (32 random bytes) if it does not exist. */
    public static SecretBox fromKeyFile(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                byte[] k = new byte[32];
                RANDOM.nextBytes(k);
                Files.writeString(file, Base64.getEncoder().encodeToString(k));
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system: left as made
                }
            }
            return new SecretBox(Base64.getDecoder().decode(Files.readString(file).strip()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read or make the key file " + file + ": " + e.getMessage(), e);
        }
    }

    public String encrypt(String plain) {
        try {
            return "v1:" + Base64.getEncoder().encodeToString(seal(key, plain.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** AES-GCM under {@code key} with a random 96-bit IV: the IV, then the ciphertext and its 128-bit tag. */
    public static byte[] seal(SecretKeySpec key, byte[] plain) throws GeneralSecurityException {
        byte[] iv = new byte[12];
        RANDOM.nextBytes(iv);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
        byte[] ct = c.doFinal(plain);
        byte[] out = new byte[iv.length + ct.length];
        System.arraycopy(iv, 0, out, 0, iv.length);
        System.arraycopy(ct, 0, out, iv.length, ct.length);
        return out;
    }

    /** The plain bytes of what {@link #seal} made under {@code key}; a wrong key or changed bytes fail the tag check. */
    public static byte[] open(SecretKeySpec key, byte[] sealed) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, sealed, 0, 12));
        return c.doFinal(sealed, 12, sealed.length - 12);
    }

    public String decrypt(String sealed) {
        if (!sealed.startsWith("v1:")) throw new IllegalStateException("unknown secret format");
        try {
            return new String(open(key, Base64.getDecoder().decode(sealed.substring(3))), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot decrypt a stored secret (was the key file replaced?)", e);
        }
    }
}
