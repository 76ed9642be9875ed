package dev.hotline.engine.webrtc;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A parsed STUN message (RFC 5389 / RFC 8489) with the attributes ICE uses, and a {@link Builder}
 * to write one. Parsing never trusts a length field beyond the datagram it was given: a message
 * that breaks a framing rule throws {@link StunException}.
 *
 * <p>MESSAGE-INTEGRITY is HMAC-SHA1 with the short-term credential (the ICE password as key,
 * RFC 8489 §9.1.1); FINGERPRINT is CRC-32 xor 0x5354554e (RFC 8489 §14.7).
 */
public final class StunMessage {
    /** RFC 8489 §5: the fixed magic cookie in bytes 4..7 of every message. */
    public static final int MAGIC_COOKIE = 0x2112A442;
    public static final int HEADER_LENGTH = 20;

    public static final int BINDING_REQUEST = 0x0001;
    public static final int BINDING_INDICATION = 0x0011;
    public static final int BINDING_SUCCESS = 0x0101;
    public static final int BINDING_ERROR = 0x0111;

    public static final int ATTR_MAPPED_ADDRESS = 0x0001;
    public static final int ATTR_USERNAME = 0x0006;
    public static final int ATTR_MESSAGE_INTEGRITY = 0x0008;
    public static final int ATTR_ERROR_CODE = 0x0009;
    public static final int ATTR_UNKNOWN_ATTRIBUTES = 0x000A;
    public static final int ATTR_XOR_MAPPED_ADDRESS = 0x0020;
    public static final int ATTR_PRIORITY = 0x0024;
    public static final int ATTR_USE_CANDIDATE = 0x0025;
    public static final int ATTR_SOFTWARE = 0x8022;
    public static final int ATTR_FINGERPRINT = 0x8028;
    public static final int ATTR_ICE_CONTROLLED = 0x8029;
    public static final int ATTR_ICE_CONTROLLING = 0x802A;

    private static final int FINGERPRINT_XOR = 0x5354554e;
    private static final int HMAC_LENGTH = 20;
    /** RFC 8489 §14.3: USERNAME is at most 513 bytes. */
    private static final int MAX_USERNAME = 513;

    private final byte[] raw;
    private final int type;
    private final byte[] transactionId;
    private final String username;
    private final long priority;
    private final boolean useCandidate;
    private final Long iceControlling;
    private final Long iceControlled;
    private final InetSocketAddress xorMappedAddress;
    private final int errorCode;
    private final String errorReason;
    private final String software;
    private final int integrityOffset;
    private final int fingerprintOffset;
    private final int[] unknownRequired;

    private StunMessage(byte[] raw, int type, byte[] transactionId, String username, long priority,
            boolean useCandidate, Long iceControlling, Long iceControlled, InetSocketAddress xorMappedAddress,
            int errorCode, String errorReason, String software, int integrityOffset, int fingerprintOffset,
            int[] unknownRequired) {
        this.raw = raw;
        this.type = type;
        this.transactionId = transactionId;
        this.username = username;
        this.priority = priority;
        this.useCandidate = useCandidate;
        this.iceControlling = iceControlling;
        this.iceControlled = iceControlled;
        this.xorMappedAddress = xorMappedAddress;
        this.errorCode = errorCode;
        this.errorReason = errorReason;
        this.software = software;
        this.integrityOffset = integrityOffset;
        this.fingerprintOffset = fingerprintOffset;
        this.unknownRequired = unknownRequired;
    }

    /**
     * Cheap test before parsing: the two top bits zero, the magic cookie and a length that is a
     * multiple of 4 and matches the datagram (RFC 8489 §6, §7.3).
     */
    public static boolean looksLikeStun(byte[] buf, int off, int len) {
        return len >= HEADER_LENGTH && (buf[off] & 0xC0) == 0 && readInt(buf, off + 4) == MAGIC_COOKIE
                && (readShort(buf, off + 2) & 3) == 0 && readShort(buf, off + 2) + HEADER_LENGTH == len;
    }

    /** Parses one datagram that holds exactly one STUN message. */
    public static StunMessage parse(byte[] buf, int off, int len) throws StunException {
        if (off < 0 || len < 0 || off + len > buf.length) {
            throw new StunException("offset/length outside the buffer");
        }
        if (len < HEADER_LENGTH) {
            throw new StunException("truncated header: " + len + " bytes, need 20");
        }
        if ((buf[off] & 0xC0) != 0) {
            throw new StunException("top two bits of the message type are not zero");
        }
        if (readInt(buf, off + 4) != MAGIC_COOKIE) {
            throw new StunException("no magic cookie (RFC 3489 messages are not supported)");
        }
        int bodyLength = readShort(buf, off + 2);
        if ((bodyLength & 3) != 0) {
            throw new StunException("message length " + bodyLength + " is not a multiple of 4");
        }
        if (HEADER_LENGTH + bodyLength != len) {
            throw new StunException("message length " + bodyLength + " does not match the datagram body of "
                    + (len - HEADER_LENGTH) + " bytes");
        }
        byte[] raw = Arrays.copyOfRange(buf, off, off + len);
        int type = readShort(raw, 0);
        byte[] txId = Arrays.copyOfRange(raw, 8, 20);

        String username = null;
        long priority = -1;
        boolean useCandidate = false;
        Long controlling = null;
        Long controlled = null;
        InetSocketAddress mapped = null;
        int errorCode = 0;
        String errorReason = null;
        String software = null;
        int integrityOffset = -1;
        int fingerprintOffset = -1;
        int[] unknown = new int[0];

        int pos = HEADER_LENGTH;
        while (pos < len) {
            if (fingerprintOffset >= 0) {
                throw new StunException("attribute after FINGERPRINT at offset " + pos);
            }
            if (len - pos < 4) {
                throw new StunException("truncated attribute header at offset " + pos);
            }
            int attrType = readShort(raw, pos);
            int attrLen = readShort(raw, pos + 2);
            int valueStart = pos + 4;
            // RFC 8489 §14: values are padded to a multiple of 4 bytes.
            int padded = (attrLen + 3) & ~3;
            if (padded > len - valueStart) {
                throw new StunException("attribute 0x" + Integer.toHexString(attrType) + " length " + attrLen
                        + " overruns the message at offset " + pos);
            }
            if (attrType == ATTR_FINGERPRINT) {
                expectLength(attrType, attrLen, 4);
                fingerprintOffset = pos;
            } else if (integrityOffset >= 0) {
                // RFC 8489 §14.5: attributes after MESSAGE-INTEGRITY (other than FINGERPRINT) are ignored.
                pos = valueStart + padded;
                continue;
            } else {
                switch (attrType) {
                    case ATTR_USERNAME:
                        if (attrLen > MAX_USERNAME) {
                            throw new StunException("USERNAME longer than 513 bytes");
                        }
                        username = new String(raw, valueStart, attrLen, StandardCharsets.UTF_8);
                        break;
                    case ATTR_MESSAGE_INTEGRITY:
                        expectLength(attrType, attrLen, HMAC_LENGTH);
                        integrityOffset = pos;
                        break;
                    case ATTR_PRIORITY:
                        expectLength(attrType, attrLen, 4);
                        priority = readInt(raw, valueStart) & 0xFFFFFFFFL;
                        break;
                    case ATTR_USE_CANDIDATE:
                        expectLength(attrType, attrLen, 0);
                        useCandidate = true;
                        break;
                    case ATTR_ICE_CONTROLLING:
                        expectLength(attrType, attrLen, 8);
                        controlling = readLong(raw, valueStart);
                        break;
                    case ATTR_ICE_CONTROLLED:
                        expectLength(attrType, attrLen, 8);
                        controlled = readLong(raw, valueStart);
                        break;
                    case ATTR_XOR_MAPPED_ADDRESS:
                        mapped = readXorAddress(raw, valueStart, attrLen, txId);
                        break;
                    case ATTR_ERROR_CODE:
                        if (attrLen < 4) {
                            throw new StunException("ERROR-CODE shorter than 4 bytes");
                        }
                        // RFC 8489 §14.8: class in bits 8-10, number in the low byte.
                        errorCode = (raw[valueStart + 2] & 0x07) * 100 + (raw[valueStart + 3] & 0xFF);
                        errorReason = new String(raw, valueStart + 4, attrLen - 4, StandardCharsets.UTF_8);
                        break;
                    case ATTR_SOFTWARE:
                        software = new String(raw, valueStart, attrLen, StandardCharsets.UTF_8);
                        break;
                    default:
                        // RFC 8489 §14: types 0x0000-0x7FFF are comprehension-required.
                        if (attrType < 0x8000 && attrType != ATTR_MAPPED_ADDRESS
                                && attrType != ATTR_UNKNOWN_ATTRIBUTES && unknown.length < 16) {
                            unknown = Arrays.copyOf(unknown, unknown.length + 1);
                            unknown[unknown.length - 1] = attrType;
                        }
                        break;
                }
            }
            pos = valueStart + padded;
        }
        return new StunMessage(raw, type, txId, username, priority, useCandidate, controlling, controlled, mapped,
                errorCode, errorReason, software, integrityOffset, fingerprintOffset, unknown);
    }

    private static void expectLength(int attrType, int actual, int expected) throws StunException {
        if (actual != expected) {
            throw new StunException("attribute 0x" + Integer.toHexString(attrType) + " has length " + actual
                    + ", expected " + expected);
        }
    }

    private static InetSocketAddress readXorAddress(byte[] raw, int at, int attrLen, byte[] txId)
            throws StunException {
        if (attrLen < 4) {
            throw new StunException("XOR-MAPPED-ADDRESS shorter than 4 bytes");
        }
        int family = raw[at + 1] & 0xFF;
        // RFC 8489 §14.2: X-Port is the port xor the top 16 bits of the cookie.
        int port = readShort(raw, at + 2) ^ (MAGIC_COOKIE >>> 16);
        byte[] addr;
        if (family == 0x01) {
            expectLength(ATTR_XOR_MAPPED_ADDRESS, attrLen, 8);
            addr = Arrays.copyOfRange(raw, at + 4, at + 8);
        } else if (family == 0x02) {
            expectLength(ATTR_XOR_MAPPED_ADDRESS, attrLen, 20);
            addr = Arrays.copyOfRange(raw, at + 4, at + 20);
        } else {
            throw new StunException("XOR-MAPPED-ADDRESS with unknown family " + family);
        }
        xorAddress(addr, txId);
        try {
            return new InetSocketAddress(InetAddress.getByAddress(addr), port);
        } catch (UnknownHostException e) {
            throw new StunException("bad address length");
        }
    }

    /** RFC 8489 §14.2: IPv4 xor the cookie; IPv6 xor cookie || transaction id. */
    private static void xorAddress(byte[] addr, byte[] txId) {
        for (int i = 0; i < addr.length; i++) {
            int mask = i < 4 ? (MAGIC_COOKIE >>> (24 - 8 * i)) & 0xFF : txId[i - 4] & 0xFF;
            addr[i] ^= (byte) mask;
        }
    }

    /**
     * RFC 8489 §14.5: HMAC-SHA1 over the message up to MESSAGE-INTEGRITY, with the header length
     * adjusted to end just after MESSAGE-INTEGRITY. Returns false when the attribute is absent.
     */
    public boolean checkIntegrity(byte[] key) {
        if (integrityOffset < 0) {
            return false;
        }
        byte[] expected = hmac(key, raw, integrityOffset);
        return MessageDigest.isEqual(expected,
                Arrays.copyOfRange(raw, integrityOffset + 4, integrityOffset + 4 + HMAC_LENGTH));
    }

    /** RFC 8489 §14.7: CRC-32 of the message up to FINGERPRINT, xor 0x5354554e. False when absent. */
    public boolean checkFingerprint() {
        if (fingerprintOffset < 0) {
            return false;
        }
        return readInt(raw, fingerprintOffset + 4) == fingerprint(raw, fingerprintOffset);
    }

    /** RFC 8489 §9.1.1: the short-term credential key is the password (OpaqueString; ICE uses ASCII). */
    public static byte[] shortTermKey(String password) {
        return password.getBytes(StandardCharsets.UTF_8);
    }

    /** HMAC over raw[0, end) with the header's length field set as if the message ended after MI. */
    private static byte[] hmac(byte[] key, byte[] raw, int end) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            byte[] header = Arrays.copyOf(raw, HEADER_LENGTH);
            writeShort(header, 2, end - HEADER_LENGTH + 4 + HMAC_LENGTH);
            mac.update(header);
            mac.update(raw, HEADER_LENGTH, end - HEADER_LENGTH);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 unavailable", e);
        }
    }

    /** CRC over raw[0, end) with the length field covering the FINGERPRINT attribute that follows. */
    private static int fingerprint(byte[] raw, int end) {
        byte[] header = Arrays.copyOf(raw, HEADER_LENGTH);
        writeShort(header, 2, end - HEADER_LENGTH + 8);
        CRC32 crc = new CRC32();
        crc.update(header);
        crc.update(raw, HEADER_LENGTH, end - HEADER_LENGTH);
        return (int) crc.getValue() ^ FINGERPRINT_XOR;
    }

    public int type() {
        return type;
    }

    public boolean isBindingRequest() {
        return type == BINDING_REQUEST;
    }

    public byte[] transactionId() {
        return transactionId.clone();
    }

    /** USERNAME, or null. */
    public String username() {
        return username;
    }

    /** PRIORITY as an unsigned value, or -1 when absent. */
    public long priority() {
        return priority;
    }

    public boolean useCandidate() {
        return useCandidate;
    }

    /** ICE-CONTROLLING tie-breaker, or null. */
    public Long iceControlling() {
        return iceControlling;
    }

    /** ICE-CONTROLLED tie-breaker, or null. */
    public Long iceControlled() {
        return iceControlled;
    }

    /** XOR-MAPPED-ADDRESS decoded, or null. */
    public InetSocketAddress xorMappedAddress() {
        return xorMappedAddress;
    }

    /** ERROR-CODE number (e.g. 401), or 0. */
    public int errorCode() {
        return errorCode;
    }

    public String errorReason() {
        return errorReason;
    }

    public String software() {
        return software;
    }

    public boolean hasIntegrity() {
        return integrityOffset >= 0;
    }

    public boolean hasFingerprint() {
        return fingerprintOffset >= 0;
    }

    /** Comprehension-required attribute types this parser does not know (RFC 8489 §7.3.1). */
    public int[] unknownRequiredAttributes() {
        return unknownRequired.clone();
    }

    public static Builder builder(int type, byte[] transactionId) {
        return new Builder(type, transactionId);
    }

    /** Writes one message; attributes appear in the order they are added. */
    public static final class Builder {
        private byte[] buf = new byte[256];
        private int pos = HEADER_LENGTH;
        private final byte[] txId;
        private byte padding;

        private Builder(int type, byte[] transactionId) {
            if (transactionId.length != 12) {
                throw new IllegalArgumentException("transaction id must be 12 bytes");
            }
            this.txId = transactionId.clone();
            writeShort(buf, 0, type & 0x3FFF);
            writeInt(buf, 4, MAGIC_COOKIE);
            System.arraycopy(txId, 0, buf, 8, 12);
        }

        /** The byte used to pad values to 4 bytes (0 by default; RFC 5769 vectors use 0x20). */
        public Builder padding(byte value) {
            this.padding = value;
            return this;
        }

        public Builder username(String value) {
            return attribute(ATTR_USERNAME, value.getBytes(StandardCharsets.UTF_8));
        }

        public Builder software(String value) {
            return attribute(ATTR_SOFTWARE, value.getBytes(StandardCharsets.UTF_8));
        }

        public Builder priority(long value) {
            byte[] v = new byte[4];
            writeInt(v, 0, (int) value);
            return attribute(ATTR_PRIORITY, v);
        }

        public Builder useCandidate() {
            return attribute(ATTR_USE_CANDIDATE, new byte[0]);
        }

        public Builder iceControlling(long tieBreaker) {
            return attribute(ATTR_ICE_CONTROLLING, longBytes(tieBreaker));
        }

        public Builder iceControlled(long tieBreaker) {
            return attribute(ATTR_ICE_CONTROLLED, longBytes(tieBreaker));
        }

        public Builder xorMappedAddress(InetSocketAddress address) {
            byte[] ip = address.getAddress().getAddress();
            byte[] v = new byte[4 + ip.length];
            v[1] = (byte) (ip.length == 4 ? 0x01 : 0x02);
            writeShort(v, 2, address.getPort() ^ (MAGIC_COOKIE >>> 16));
            xorAddress(ip, txId);
            System.arraycopy(ip, 0, v, 4, ip.length);
            return attribute(ATTR_XOR_MAPPED_ADDRESS, v);
        }

        /** RFC 8489 §14.8: ERROR-CODE with class and number split. */
        public Builder errorCode(int code, String reason) {
            byte[] text = reason.getBytes(StandardCharsets.UTF_8);
            byte[] v = new byte[4 + text.length];
            v[2] = (byte) (code / 100);
            v[3] = (byte) (code % 100);
            System.arraycopy(text, 0, v, 4, text.length);
            return attribute(ATTR_ERROR_CODE, v);
        }

        /** RFC 8489 §14.9: UNKNOWN-ATTRIBUTES lists 16-bit types. */
        public Builder unknownAttributes(int[] types) {
            byte[] v = new byte[types.length * 2];
            for (int i = 0; i < types.length; i++) {
                writeShort(v, 2 * i, types[i]);
            }
            return attribute(ATTR_UNKNOWN_ATTRIBUTES, v);
        }

        public Builder attribute(int attrType, byte[] value) {
            if (value.length > 0xFFFF) {
                throw new IllegalArgumentException("attribute value too long");
            }
            int padded = (value.length + 3) & ~3;
            ensure(4 + padded);
            writeShort(buf, pos, attrType);
            writeShort(buf, pos + 2, value.length);
            System.arraycopy(value, 0, buf, pos + 4, value.length);
            Arrays.fill(buf, pos + 4 + value.length, pos + 4 + padded, padding);
            pos += 4 + padded;
            return this;
        }

        /** The message without MESSAGE-INTEGRITY or FINGERPRINT. */
        public byte[] build() {
            return build(null, false);
        }

        /**
         * The message, with MESSAGE-INTEGRITY when {@code integrityKey} is not null and FINGERPRINT
         * last when asked (RFC 8489 §14.5, §14.7).
         */
        public byte[] build(byte[] integrityKey, boolean withFingerprint) {
            if (integrityKey != null) {
                ensure(4 + HMAC_LENGTH);
                int at = pos;
                writeShort(buf, 2, at - HEADER_LENGTH + 4 + HMAC_LENGTH);
                byte[] mac = hmac(integrityKey, buf, at);
                writeShort(buf, at, ATTR_MESSAGE_INTEGRITY);
                writeShort(buf, at + 2, HMAC_LENGTH);
                System.arraycopy(mac, 0, buf, at + 4, HMAC_LENGTH);
                pos += 4 + HMAC_LENGTH;
            }
            if (withFingerprint) {
                ensure(8);
                int at = pos;
                int crc = fingerprint(buf, at);
                writeShort(buf, at, ATTR_FINGERPRINT);
                writeShort(buf, at + 2, 4);
                writeInt(buf, at + 4, crc);
                pos += 8;
            }
            writeShort(buf, 2, pos - HEADER_LENGTH);
            return Arrays.copyOf(buf, pos);
        }

        private void ensure(int more) {
            if (pos + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
            }
        }

        private static byte[] longBytes(long value) {
            byte[] v = new byte[8];
            writeInt(v, 0, (int) (value >>> 32));
            writeInt(v, 4, (int) value);
            return v;
        }
    }

    static int readShort(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    static int readInt(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }

    private static long readLong(byte[] b, int at) {
        return ((long) readInt(b, at) << 32) | (readInt(b, at + 4) & 0xFFFFFFFFL);
    }

    static void writeShort(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    static void writeInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
