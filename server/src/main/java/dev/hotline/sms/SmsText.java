package dev.hotline.sms;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How a text goes over the air (3GPP TS 23.038 / 23.040): in the GSM 7-bit default alphabet when every character is
 * in it (or its extension table, two septets each), else in UCS-2. One part holds 160 septets or 70 UCS-2 characters;
 * a longer text is split into parts of 153 septets or 67 characters, each with a user data header for concatenation
 * (information element 0x00: 8-bit reference, total, part number). GSM text goes in SMPP unpacked, one septet per
 * octet (data_coding 0x00); UCS-2 as UTF-16BE (data_coding 0x08).
 */
public final class SmsText {
    private SmsText() {}

    /** The GSM 03.38 default alphabet by code (0x1B, the escape to the extension table, is not a character). */
    static final String GSM_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    /** The extension table: character → code after the escape. */
    static final String GSM_EXT_CHARS = "\f^{}\\[~]|€";
    static final byte[] GSM_EXT_CODES = {0x0A, 0x14, 0x28, 0x29, 0x2F, 0x3C, 0x3D, 0x3E, 0x40, 0x65};
    static final byte ESC = 0x1B;

    static {
        if (GSM_BASIC.length() != 128) throw new IllegalStateException("GSM alphabet has " + GSM_BASIC.length() + " characters");
    }

    /** The two ways of writing a text, with their SMPP data_coding and part sizes. */
    public enum Encoding {
        GSM7("gsm7", (byte) 0x00, 160, 153),
        UCS2("ucs2", (byte) 0x08, 70, 67);

        private final String key;
        private final byte dataCoding;
        private final int single;
        private final int multi;

        Encoding(String key, byte dataCoding, int single, int multi) {
            this.key = key;
            this.dataCoding = dataCoding;
            this.single = single;
            this.multi = multi;
        }

        public String key() {
            return key;
        }

        public byte dataCoding() {
            return dataCoding;
        }

        /** Units (septets or UTF-16 code units) in a text that fits in one part. */
        public int single() {
            return single;
        }

        /** Units in each part of a concatenated text. */
        public int multi() {
            return multi;
        }
    }

    /**
     * A text ready for the gateway: its encoding and the short_message of each part (with the concatenation header
     * when there are several).
     */
    public record Encoded(Encoding encoding, List<byte[]> parts, boolean udh) {
        public int count() {
            return parts.size();
        }
    }

    /** The encoding of {@code text}: GSM 7-bit if every character is in the default alphabet or its extension. */
    public static Encoding encodingOf(String text) {
        return gsm(text).isPresent() ? Encoding.GSM7 : Encoding.UCS2;
    }

    /** How many parts {@code text} takes. */
    public static int partCount(String text) {
        return encode(text, 0).count();
    }

    /** Splits and encodes {@code text}; {@code reference} (0..255) ties the parts of a concatenated message together. */
    public static Encoded encode(String text, int reference) {
        Optional<List<byte[]>> gsm = gsm(text);
        List<byte[]> units; // one entry per character: its septets (1 or 2) or its UTF-16BE code units (2 or 4 bytes)
        Encoding enc;
        int total;
        if (gsm.isPresent()) {
            enc = Encoding.GSM7;
            units = gsm.get();
            total = units.stream().mapToInt(u -> u.length).sum();
        } else {
            enc = Encoding.UCS2;
            units = new ArrayList<>();
            text.codePoints().forEach(cp -> units.add(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_16BE)));
            total = units.stream().mapToInt(u -> u.length / 2).sum();
        }
        if (total <= enc.single()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            units.forEach(out::writeBytes);
            return new Encoded(enc, List.of(out.toByteArray()), false);
        }
        // Split on character boundaries: an escape pair or a surrogate pair never straddles two parts.
        List<ByteArrayOutputStream> bodies = new ArrayList<>();
        ByteArrayOutputStream cur = new ByteArrayOutputStream();
        int used = 0;
        for (byte[] u : units) {
            int size = enc == Encoding.GSM7 ? u.length : u.length / 2;
            if (used + size > enc.multi()) {
                bodies.add(cur);
                cur = new ByteArrayOutputStream();
                used = 0;
            }
            cur.writeBytes(u);
            used += size;
        }
        bodies.add(cur);
        if (bodies.size() > 255) throw new IllegalArgumentException("text too long: more than 255 parts");
        List<byte[]> parts = new ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) {
            ByteArrayOutputStream p = new ByteArrayOutputStream();
            p.writeBytes(new byte[] {0x05, 0x00, 0x03, (byte) reference, (byte) bodies.size(), (byte) (i + 1)});
            p.writeBytes(bodies.get(i).toByteArray());
            parts.add(p.toByteArray());
        }
        return new Encoded(enc, List.copyOf(parts), true);
    }

    /** Each character's septets, or empty when a character is not in the GSM alphabet. */
    static Optional<List<byte[]>> gsm(String text) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int basic = c == ESC ? -1 : GSM_BASIC.indexOf(c);
            if (basic >= 0) {
                out.add(new byte[] {(byte) basic});
                continue;
            }
            int ext = GSM_EXT_CHARS.indexOf(c);
            if (ext < 0) return Optional.empty();
            out.add(new byte[] {ESC, GSM_EXT_CODES[ext]});
        }
        return Optional.of(out);
    }

    /** A part's text from its short_message bytes (without a header) and data_coding: UCS-2, or GSM unpacked / Latin-1. */
    public static String decode(byte[] body, byte dataCoding) {
        int coding = dataCoding & 0xFF;
        if (coding == 0x08) return new String(body, StandardCharsets.UTF_16BE);
        if (coding == 0x03) return new String(body, StandardCharsets.ISO_8859_1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < body.length; i++) {
            int b = body[i] & 0x7F;
            if (b == ESC && i + 1 < body.length) {
                byte next = body[++i];
                for (int k = 0; k < GSM_EXT_CODES.length; k++) {
                    if (GSM_EXT_CODES[k] == next) sb.append(GSM_EXT_CHARS.charAt(k));
                }
            } else {
                sb.append(GSM_BASIC.charAt(b));
            }
        }
        return sb.toString();
    }

    /** A received part: its concatenation header (reference, total, number; total 1 when it has none) and its text. */
    public record Part(int reference, int total, int number, String text) {}

    /** Reads a received short_message: the 8- or 16-bit concatenation element of its header when {@code udhi}, then the text. */
    public static Part readPart(byte[] sm, boolean udhi, byte dataCoding) {
        if (!udhi || sm.length == 0) return new Part(0, 1, 1, decode(sm, dataCoding));
        int udhl = sm[0] & 0xFF;
        int ref = 0;
        int total = 1;
        int number = 1;
        for (int i = 1; i + 1 < 1 + udhl && i + 1 < sm.length; ) {
            int iei = sm[i] & 0xFF;
            int len = sm[i + 1] & 0xFF;
            if (iei == 0x00 && len == 3 && i + 4 < sm.length) {
                ref = sm[i + 2] & 0xFF;
                total = sm[i + 3] & 0xFF;
                number = sm[i + 4] & 0xFF;
            } else if (iei == 0x08 && len == 4 && i + 5 < sm.length) {
                ref = ((sm[i + 2] & 0xFF) << 8) | (sm[i + 3] & 0xFF);
                total = sm[i + 4] & 0xFF;
                number = sm[i + 5] & 0xFF;
            }
            i += 2 + len;
        }
        int start = Math.min(sm.length, 1 + udhl);
        byte[] body = new byte[sm.length - start];
        System.arraycopy(sm, start, body, 0, body.length);
        return new Part(ref, total, number, decode(body, dataCoding));
    }
}
