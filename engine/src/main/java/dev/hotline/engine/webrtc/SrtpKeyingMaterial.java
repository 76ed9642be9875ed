package dev.hotline.engine.webrtc;

import java.util.Arrays;

/**
 * The SRTP master keys and salts both sides derive from the DTLS handshake (RFC 5764 §4.2). The
 * DTLS client sends with the client key and salt; the server (us) with the server's.
 */
public record SrtpKeyingMaterial(SrtpProfile profile, byte[] clientMasterKey, byte[] clientMasterSalt,
        byte[] serverMasterKey, byte[] serverMasterSalt) {

    /** Bytes to ask of the "EXTRACTOR-dtls_srtp" exporter: two keys and two salts. */
    public static int exporterLength() {
        return 2 * (SrtpProfile.MASTER_KEY_LENGTH + SrtpProfile.MASTER_SALT_LENGTH);
    }

    /**
     * RFC 5764 §4.2: client_write_SRTP_master_key | server_write_SRTP_master_key |
     * client_write_SRTP_master_salt | server_write_SRTP_master_salt.
     */
    public static SrtpKeyingMaterial fromExporter(SrtpProfile profile, byte[] material) {
        int k = SrtpProfile.MASTER_KEY_LENGTH;
        int s = SrtpProfile.MASTER_SALT_LENGTH;
        if (material.length != 2 * (k + s)) {
            throw new IllegalArgumentException("need " + 2 * (k + s) + " bytes of keying material");
        }
        return new SrtpKeyingMaterial(profile, Arrays.copyOfRange(material, 0, k),
                Arrays.copyOfRange(material, 2 * k, 2 * k + s), Arrays.copyOfRange(material, k, 2 * k),
                Arrays.copyOfRange(material, 2 * k + s, 2 * k + 2 * s));
    }

    /** The context that encrypts what the DTLS server sends (and the client decrypts). */
    public SrtpContext serverContext() {
        return new SrtpContext(profile, serverMasterKey, serverMasterSalt);
    }

    /** The context for what the DTLS client sends (and the server decrypts). */
    public SrtpContext clientContext() {
        return new SrtpContext(profile, clientMasterKey, clientMasterSalt);
    }

    @Override
    public String toString() {
        return "SrtpKeyingMaterial[" + profile + ", keys hidden]";
    }
}
