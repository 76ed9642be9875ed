package dev.hotline.engine.webrtc;

import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * SRTP and SRTCP with AES_CM_128 and HMAC-SHA1 (RFC 3711) for one direction of one session: the
 * sender protects with it, the receiver unprotects with an equal one. Session keys are derived
 * once with a key derivation rate of 0 (§4.3). Per SSRC it keeps the rollover counter and the
 * replay window (§3.3.1, §3.3.2); for SRTCP the sender's index and the receiver's window.
 *
 * <p>Packets are transformed in place. {@code protect*} needs room after the packet for the tag
 * (and for SRTCP the 4-byte index): see {@link #RTP_OVERHEAD_MAX}, {@link #RTCP_OVERHEAD}.
 * {@code unprotect*} returns the plain length, or a negative {@code ERR_*} code and leaves the
 * packet unusable. Methods are synchronized; the expected use is one thread per direction.
 */
public final class SrtpContext {
    /** Bytes protectRtp may add. */
    public static final int RTP_OVERHEAD_MAX = 10;
    /** Bytes protectRtcp adds: E-bit and index, then the 80-bit tag (RFC 3711 §3.4). */
    public static final int RTCP_OVERHEAD = 4 + SrtpProfile.RTCP_TAG_LENGTH;

    /** Not a parseable RTP/RTCP packet, or too short for its tag. */
    public static final int ERR_MALFORMED = -1;
    /** The authentication tag does not match. */
    public static final int ERR_AUTH = -2;
    /** Seen already, or older than the replay window. */
    public static final int ERR_REPLAY = -3;
    /** Too many SSRCs in one context. */
    public static final int ERR_TOO_MANY_SSRC = -4;

    private static final int LABEL_RTP_ENCRYPTION = 0;
    private static final int LABEL_RTP_AUTH = 1;
    private static final int LABEL_RTP_SALT = 2;
    private static final int LABEL_RTCP_ENCRYPTION = 3;
    private static final int LABEL_RTCP_AUTH = 4;
    private static final int LABEL_RTCP_SALT = 5;
    private static final int AUTH_KEY_LENGTH = 20;
    /** RFC 3711 §3.3.2: the replay window must be at least 64 packets. */
    private static final int REPLAY_WINDOW = 64;
    private static final int MAX_SSRC = 64;

    private final int rtpTagLength;
    private final SecretKeySpec rtpKey;
    private final byte[] rtpSalt;
    private final Mac rtpMac;
    private final SecretKeySpec rtcpKey;
    private final byte[] rtcpSalt;
    private final Mac rtcpMac;
    private final Cipher cipher;
    private final byte[] iv = new byte[16];
    private final byte[] tag = new byte[20];
    private final byte[] word = new byte[4];

    private final Map<Integer, Stream> rtpStreams = new HashMap<>();
    private final Map<Integer, Stream> rtcpStreams = new HashMap<>();
    private Stream lastRtp;
    private Stream lastRtcp;

    /** Per-SSRC state: highest index seen/sent (ROC || SEQ for RTP) and the replay bitmap. */
    private static final class Stream {
        final int ssrc;
        long highest;
        long window;

        Stream(int ssrc, long index) {
            this.ssrc = ssrc;
            this.highest = index;
            this.window = 1;
        }

        /** RFC 3711 §3.3.2: false for a replayed index or one older than the window. */
        boolean fresh(long index) {
            if (index > highest) {
                return true;
            }
            long delta = highest - index;
            return delta < REPLAY_WINDOW && (window & (1L << delta)) == 0;
        }

        void accept(long index) {
            if (index > highest) {
                long shift = index - highest;
                window = shift >= REPLAY_WINDOW ? 1 : (window << shift) | 1;
                highest = index;
            } else {
                window |= 1L << (highest - index);
            }
        }
    }

    public SrtpContext(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        if (masterKey.length != SrtpProfile.MASTER_KEY_LENGTH || masterSalt.length != SrtpProfile.MASTER_SALT_LENGTH) {
            throw new IllegalArgumentException("master key must be 16 bytes and salt 14 bytes");
        }
        this.rtpTagLength = profile.rtpTagLength();
        try {
            this.cipher = Cipher.getInstance("AES/CTR/NoPadding");
            this.rtpKey = new SecretKeySpec(deriveKey(masterKey, masterSalt, LABEL_RTP_ENCRYPTION, 16), "AES");
            this.rtpSalt = deriveKey(masterKey, masterSalt, LABEL_RTP_SALT, 14);
            this.rtpMac = hmac(deriveKey(masterKey, masterSalt, LABEL_RTP_AUTH, AUTH_KEY_LENGTH));
            this.rtcpKey = new SecretKeySpec(deriveKey(masterKey, masterSalt, LABEL_RTCP_ENCRYPTION, 16), "AES");
            this.rtcpSalt = deriveKey(masterKey, masterSalt, LABEL_RTCP_SALT, 14);
            this.rtcpMac = hmac(deriveKey(masterKey, masterSalt, LABEL_RTCP_AUTH, AUTH_KEY_LENGTH));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR or HmacSHA1 unavailable", e);
        }
    }

    private static Mac hmac(byte[] key) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(key, "HmacSHA1"));
        return mac;
    }

    /**
     * RFC 3711 §4.3.1 with key_derivation_rate 0: x = (label || 0^48) xor master_salt, and the
     * session key is the AES-CM keystream of the master key with IV = x * 2^16.
     */
    static byte[] deriveKey(byte[] masterKey, byte[] masterSalt, int label, int length) {
        byte[] iv = new byte[16];
        System.arraycopy(masterSalt, 0, iv, 0, 14);
        iv[7] ^= (byte) label;
        return aesCmKeystream(masterKey, iv, length);
    }

    /** RFC 3711 §4.1.1: the AES counter-mode keystream from the 128-bit IV (JDK AES/CTR). */
    static byte[] aesCmKeystream(byte[] key, byte[] iv, int length) {
        try {
            Cipher c = Cipher.getInstance("AES/CTR/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            return c.doFinal(new byte[length]);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR unavailable", e);
        }
    }

    /**
     * Encrypts and signs an RTP packet in place. Returns the SRTP length ({@code len} plus the tag).
     *
     * @throws IllegalArgumentException when it is not RTP or the buffer has no room for the tag
     */
    public synchronized int protectRtp(byte[] buf, int off, int len) {
        int header = rtpHeaderLength(buf, off, len);
        if (header < 0) {
            throw new IllegalArgumentException("not an RTP packet");
        }
        if (buf.length - off - len < rtpTagLength) {
            throw new IllegalArgumentException("no room for the " + rtpTagLength + "-byte tag");
        }
        int ssrc = StunMessage.readInt(buf, off + 8);
        int seq = StunMessage.readShort(buf, off + 2);
        Stream s = rtpStream(ssrc);
        long index;
        if (s == null) {
            if (rtpStreams.size() >= MAX_SSRC) {
                throw new IllegalStateException("too many SSRCs");
            }
            index = seq;
            s = new Stream(ssrc, index);
            rtpStreams.put(ssrc, s);
            lastRtp = s;
        } else {
            index = estimateIndex(s.highest, seq);
            if (index > s.highest) {
                s.highest = index;
            }
        }
        // RFC 3711 §3.1: encrypt the payload, then authenticate header || payload || ROC.
        crypt(rtpKey, rtpSalt, ssrc, index, buf, off + header, len - header);
        writeTag(rtpMac, buf, off, len, (int) (index >>> 16), rtpTagLength);
        return len + rtpTagLength;
    }

    /** Checks, replay-filters and decrypts an SRTP packet in place; the RTP length or an ERR_ code. */
    public synchronized int unprotectRtp(byte[] buf, int off, int len) {
        int body = len - rtpTagLength;
        int header = rtpHeaderLength(buf, off, body);
        if (header < 0) {
            return ERR_MALFORMED;
        }
        int ssrc = StunMessage.readInt(buf, off + 8);
        int seq = StunMessage.readShort(buf, off + 2);
        Stream s = rtpStream(ssrc);
        // RFC 3711 §3.3.1: the first packet of an SSRC starts at ROC 0 with s_l = SEQ.
        long index = s == null ? seq : estimateIndex(s.highest, seq);
        if (s != null && !s.fresh(index)) {
            return ERR_REPLAY;
        }
        if (!checkTag(rtpMac, buf, off, body, (int) (index >>> 16), rtpTagLength)) {
            return ERR_AUTH;
        }
        if (s == null) {
            if (rtpStreams.size() >= MAX_SSRC) {
                return ERR_TOO_MANY_SSRC;
            }
            s = new Stream(ssrc, index);
            rtpStreams.put(ssrc, s);
            lastRtp = s;
        } else {
            s.accept(index);
        }
        crypt(rtpKey, rtpSalt, ssrc, index, buf, off + header, body - header);
        return body;
    }

    /**
     * Encrypts and signs an RTCP compound packet in place (E=1); returns len + {@link #RTCP_OVERHEAD}.
     *
     * @throws IllegalArgumentException when it is not RTCP or the buffer has no room
     */
    public synchronized int protectRtcp(byte[] buf, int off, int len) {
        if (len < 8 || (buf[off] & 0xC0) != 0x80) {
            throw new IllegalArgumentException("not an RTCP packet");
        }
        if (buf.length - off - len < RTCP_OVERHEAD) {
            throw new IllegalArgumentException("no room for the SRTCP index and tag");
        }
        int ssrc = StunMessage.readInt(buf, off + 4);
        Stream s = rtcpStream(ssrc);
        if (s == null) {
            if (rtcpStreams.size() >= MAX_SSRC) {
                throw new IllegalStateException("too many SSRCs");
            }
            s = new Stream(ssrc, -1);
            rtcpStreams.put(ssrc, s);
            lastRtcp = s;
        }
        // RFC 3711 §3.4: a 31-bit SRTCP index per SSRC, counting every packet sent.
        long index = (s.highest + 1) & 0x7FFFFFFFL;
        s.highest = index;
        crypt(rtcpKey, rtcpSalt, ssrc, index, buf, off + 8, len - 8);
        StunMessage.writeInt(buf, off + len, (int) (0x80000000L | index)); // E-bit set: encrypted
        int authenticated = len + 4;
        rtcpMac.update(buf, off, authenticated);
        doFinal(rtcpMac);
        System.arraycopy(tag, 0, buf, off + authenticated, SrtpProfile.RTCP_TAG_LENGTH);
        return authenticated + SrtpProfile.RTCP_TAG_LENGTH;
    }

    /** Checks, replay-filters and decrypts an SRTCP packet in place; the RTCP length or an ERR_ code. */
    public synchronized int unprotectRtcp(byte[] buf, int off, int len) {
        int authenticated = len - SrtpProfile.RTCP_TAG_LENGTH;
        int plain = authenticated - 4;
        if (plain < 8 || (buf[off] & 0xC0) != 0x80) {
            return ERR_MALFORMED;
        }
        rtcpMac.update(buf, off, authenticated);
        doFinal(rtcpMac);
        if (!tagEquals(buf, off + authenticated, SrtpProfile.RTCP_TAG_LENGTH)) {
            return ERR_AUTH;
        }
        int eIndex = StunMessage.readInt(buf, off + plain);
        long index = eIndex & 0x7FFFFFFFL;
        boolean encrypted = eIndex < 0;
        int ssrc = StunMessage.readInt(buf, off + 4);
        Stream s = rtcpStream(ssrc);
        if (s == null) {
            if (rtcpStreams.size() >= MAX_SSRC) {
                return ERR_TOO_MANY_SSRC;
            }
            s = new Stream(ssrc, index);
            rtcpStreams.put(ssrc, s);
            lastRtcp = s;
        } else if (!s.fresh(index)) {
            return ERR_REPLAY;
        } else {
            s.accept(index);
        }
        if (encrypted) {
            crypt(rtcpKey, rtcpSalt, ssrc, index, buf, off + 8, plain - 8);
        }
        return plain;
    }

    /** The rollover counter of an SSRC this context has sent or accepted, or -1. */
    public synchronized long rolloverCounter(int ssrc) {
        Stream s = rtpStream(ssrc);
        return s == null ? -1 : s.highest >>> 16;
    }

    /**
     * RFC 3711 §3.3.1 / Appendix A: the index whose ROC is v in {ROC-1, ROC, ROC+1}, closest to
     * the highest index so far.
     */
    static long estimateIndex(long highest, int seq) {
        long roc = highest >>> 16;
        int sl = (int) (highest & 0xFFFF);
        long v;
        if (sl < 32768) {
            v = seq - sl > 32768 && roc > 0 ? roc - 1 : roc;
        } else {
            v = sl - 32768 > seq ? roc + 1 : roc;
        }
        return (v << 16) | seq;
    }

    /** RTP fixed header + CSRCs + extension (RFC 3550 §5.1, §5.3.1), or -1 if malformed. */
    private static int rtpHeaderLength(byte[] buf, int off, int len) {
        if (len < 12 || (buf[off] & 0xC0) != 0x80) {
            return -1;
        }
        int header = 12 + 4 * (buf[off] & 0x0F);
        if ((buf[off] & 0x10) != 0) {
            if (header + 4 > len) {
                return -1;
            }
            header += 4 + 4 * StunMessage.readShort(buf, off + header + 2);
        }
        return header <= len ? header : -1;
    }

    private Stream rtpStream(int ssrc) {
        Stream s = lastRtp;
        if (s != null && s.ssrc == ssrc) {
            return s;
        }
        s = rtpStreams.get(ssrc);
        if (s != null) {
            lastRtp = s;
        }
        return s;
    }

    private Stream rtcpStream(int ssrc) {
        Stream s = lastRtcp;
        if (s != null && s.ssrc == ssrc) {
            return s;
        }
        s = rtcpStreams.get(ssrc);
        if (s != null) {
            lastRtcp = s;
        }
        return s;
    }

    /**
     * RFC 3711 §4.1.1: IV = (k_s * 2^16) xor (SSRC * 2^64) xor (i * 2^16); the payload is xored
     * with the AES-CM keystream in place.
     */
    private void crypt(SecretKeySpec key, byte[] salt, int ssrc, long index, byte[] buf, int at, int n) {
        if (n <= 0) {
            return;
        }
        System.arraycopy(salt, 0, iv, 0, 14);
        iv[14] = 0;
        iv[15] = 0;
        iv[4] ^= (byte) (ssrc >>> 24);
        iv[5] ^= (byte) (ssrc >>> 16);
        iv[6] ^= (byte) (ssrc >>> 8);
        iv[7] ^= (byte) ssrc;
        for (int i = 0; i < 6; i++) {
            iv[8 + i] ^= (byte) (index >>> (40 - 8 * i));
        }
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
            cipher.doFinal(buf, at, n, buf, at);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR failed", e);
        }
    }

    /** RFC 3711 §4.2: HMAC-SHA1 over the authenticated portion || ROC, truncated, appended. */
    private void writeTag(Mac mac, byte[] buf, int off, int len, int roc, int tagLength) {
        mac.update(buf, off, len);
        StunMessage.writeInt(word, 0, roc);
        mac.update(word);
        doFinal(mac);
        System.arraycopy(tag, 0, buf, off + len, tagLength);
    }

    private boolean checkTag(Mac mac, byte[] buf, int off, int len, int roc, int tagLength) {
        mac.update(buf, off, len);
        StunMessage.writeInt(word, 0, roc);
        mac.update(word);
        doFinal(mac);
        return tagEquals(buf, off + len, tagLength);
    }

    private void doFinal(Mac mac) {
        try {
            mac.doFinal(tag, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 failed", e);
        }
    }

    /** Constant-time comparison of the computed tag with the packet's. */
    private boolean tagEquals(byte[] buf, int at, int tagLength) {
        int diff = 0;
        for (int i = 0; i < tagLength; i++) {
            diff |= tag[i] ^ buf[at + i];
        }
        return diff == 0;
    }
}
