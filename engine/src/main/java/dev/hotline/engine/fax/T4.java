package dev.hotline.engine.fax;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.plugins.tiff.BaselineTIFFTagSet;
import javax.imageio.plugins.tiff.TIFFDirectory;
import javax.imageio.plugins.tiff.TIFFField;
import javax.imageio.plugins.tiff.TIFFTag;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * T.4 one-dimensional coding (Modified Huffman, ITU-T T.4 §4.1) of a fax page, as the page data of T.30 phase C
 * (non-ECM). The Huffman coding itself is the JDK's TIFF image I/O plug-in ({@code CCITT T.4}, T4Options 0); this class
 * only moves a page's data between T.4's framing (an EOL before each line, RTC at the end) and a TIFF strip. Octets
 * carry the first coded bit in the most significant bit, as T.38 sends them and as TIFF FillOrder 1 stores them.
 */
public final class T4 {
    /** T.4 §4.1.2: end of line, 0000 0000 0001. */
    private static final int EOL_ZEROS = 11;
    /** T.4 §4.1.4: return to control, six EOLs. */
    private static final int RTC_EOLS = 6;
    /** T.4 §2.2: 1728 pels along a 215 mm scan line. */
    public static final int WIDTH = 1728;

    private T4() {
    }

    /** The page data of a bilevel page: MH coded lines, each after an EOL, then RTC. */
    public static byte[] encode(BufferedImage page) {
        if (page.getWidth() != WIDTH) {
            throw new IllegalArgumentException("a fax page is " + WIDTH + " pels wide, not " + page.getWidth());
        }
        ImageWriter w = ImageIO.getImageWritersByFormatName("tiff").next();
        try {
            ImageWriteParam p = w.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionType("CCITT T.4");
            TIFFDirectory d = TIFFDirectory.createFromMetadata(
                    w.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(page), p));
            d.addTIFFField(longField(BaselineTIFFTagSet.TAG_T4_OPTIONS, 0)); // 1-D, no fill bits
            d.addTIFFField(longField(BaselineTIFFTagSet.TAG_ROWS_PER_STRIP, page.getHeight())); // one strip
            ByteArrayOutputStream tiff = new ByteArrayOutputStream();
            try (ImageOutputStream out = ImageIO.createImageOutputStream(tiff)) {
                w.setOutput(out);
                w.write(null, new IIOImage(page, null, d.getAsMetadata()), p);
            }
            byte[] strip = strip(tiff.toByteArray());
            BitWriter bits = new BitWriter(strip.length + 10);
            Lines lines = Lines.of(strip);
            for (int i = 0; i < lines.count(); i++) {
                bits.eol(false);
                bits.copy(strip, lines.start(i), lines.end(i));
            }
            for (int i = 0; i < RTC_EOLS; i++) {
                bits.eol(false);
            }
            return bits.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            w.dispose();
        }
    }

    /**
     * The page of received page data: the lines between EOLs (fill bits allowed before each, T.4 §4.1.3), RTC and
     * anything after it ignored. Throws {@link FaxProtocolException} when no line can be read or the coding is broken.
     */
    public static BufferedImage decode(byte[] data) {
        Lines lines = Lines.of(data);
        if (lines.count() == 0) {
            throw new FaxProtocolException("no coded line in the page data");
        }
        // the lines again, each EOL ending on an octet boundary: a TIFF strip with T4Options "fill bits" (bit 2)
        BitWriter bits = new BitWriter(data.length + lines.count() * 3);
        for (int i = 0; i < lines.count(); i++) {
            bits.eol(true);
            bits.copy(data, lines.start(i), lines.end(i));
        }
        bits.eol(true);
        byte[] strip = bits.toByteArray();
        try {
            ImageReader r = ImageIO.getImageReadersByFormatName("tiff").next();
            try (ImageInputStream in = ImageIO.createImageInputStream(
                    new ByteArrayInputStream(tiff(strip, lines.count())))) {
                r.setInput(in);
                return r.read(0);
            } finally {
                r.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new FaxProtocolException("page data not readable as T.4: " + e.getMessage());
        }
    }

    private static TIFFField longField(int tag, long value) {
        return new TIFFField(BaselineTIFFTagSet.getInstance().getTag(tag), TIFFTag.TIFF_LONG, 1, new long[]{value});
    }

    /** The first strip of a TIFF file the JDK wrote. */
    private static byte[] strip(byte[] tiff) throws IOException {
        ImageReader r = ImageIO.getImageReadersByFormatName("tiff").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(tiff))) {
            r.setInput(in);
            TIFFDirectory d = TIFFDirectory.createFromMetadata(r.getImageMetadata(0));
            int offset = d.getTIFFField(BaselineTIFFTagSet.TAG_STRIP_OFFSETS).getAsInt(0);
            int count = d.getTIFFField(BaselineTIFFTagSet.TAG_STRIP_BYTE_COUNTS).getAsInt(0);
            byte[] b = new byte[count];
            System.arraycopy(tiff, offset, b, 0, count);
            return b;
        } finally {
            r.dispose();
        }
    }

    /** A one-strip TIFF (TIFF 6.0 §2, §11) around T.4 data whose EOLs end on octet boundaries. */
    private static byte[] tiff(byte[] strip, int rows) {
        int[][] entries = {
                {BaselineTIFFTagSet.TAG_IMAGE_WIDTH, TIFFTag.TIFF_LONG, WIDTH},
                {BaselineTIFFTagSet.TAG_IMAGE_LENGTH, TIFFTag.TIFF_LONG, rows},
                {BaselineTIFFTagSet.TAG_BITS_PER_SAMPLE, TIFFTag.TIFF_SHORT, 1},
                {BaselineTIFFTagSet.TAG_COMPRESSION, TIFFTag.TIFF_SHORT, BaselineTIFFTagSet.COMPRESSION_CCITT_T_4},
                {BaselineTIFFTagSet.TAG_PHOTOMETRIC_INTERPRETATION, TIFFTag.TIFF_SHORT,
                        BaselineTIFFTagSet.PHOTOMETRIC_INTERPRETATION_WHITE_IS_ZERO},
                {BaselineTIFFTagSet.TAG_STRIP_OFFSETS, TIFFTag.TIFF_LONG, 0},
                {BaselineTIFFTagSet.TAG_SAMPLES_PER_PIXEL, TIFFTag.TIFF_SHORT, 1},
                {BaselineTIFFTagSet.TAG_ROWS_PER_STRIP, TIFFTag.TIFF_LONG, rows},
                {BaselineTIFFTagSet.TAG_STRIP_BYTE_COUNTS, TIFFTag.TIFF_LONG, strip.length},
                {BaselineTIFFTagSet.TAG_T4_OPTIONS, TIFFTag.TIFF_LONG, BaselineTIFFTagSet.T4_OPTIONS_EOL_BYTE_ALIGNED},
        };
        int ifdSize = 2 + entries.length * 12 + 4;
        int dataOffset = 8 + ifdSize;
        ByteBuffer b = ByteBuffer.allocate(dataOffset + strip.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
        b.putShort((short) entries.length);
        for (int[] e : entries) {
            int value = e[0] == BaselineTIFFTagSet.TAG_STRIP_OFFSETS ? dataOffset : e[2];
            b.putShort((short) e[0]).putShort((short) e[1]).putInt(1);
            if (e[1] == TIFFTag.TIFF_SHORT) {
                b.putShort((short) value).putShort((short) 0);
            } else {
                b.putInt(value);
            }
        }
        b.putInt(0);
        b.put(strip);
        return b.array();
    }

    /**
     * Where the coded lines of T.4 data are: an EOL is eleven or more 0 bits and a 1 (T.4 §4.1.2; no MH code word
     * holds that many zeros); a line is what lies between the 1 of one EOL and the zeros of the next, when it holds a 1
     * (a line always codes a white run, and every white code has a 1). Bit positions count from the MSB of octet 0.
     */
    record Lines(int[] starts, int[] ends, int count) {
        static Lines of(byte[] data) {
            int[] starts = new int[64];
            int[] ends = new int[64];
            int n = 0;
            int zeros = 0;
            int lineStart = -1;
            boolean ones = false;
            int total = data.length * 8;
            for (int pos = 0; pos < total; pos++) {
                boolean one = (data[pos >> 3] & (0x80 >> (pos & 7))) != 0;
                if (!one) {
                    zeros++;
                    continue;
                }
                if (zeros >= EOL_ZEROS) {
                    if (lineStart >= 0 && ones) {
                        if (n == starts.length) {
                            starts = java.util.Arrays.copyOf(starts, n * 2);
                            ends = java.util.Arrays.copyOf(ends, n * 2);
                        }
                        starts[n] = lineStart;
                        ends[n] = pos - EOL_ZEROS;
                        n++;
                    } else if (lineStart >= 0 && n > 0) {
                        // an empty line: EOL after EOL is the RTC (T.4 §4.1.4), the page ends
                        return new Lines(starts, ends, n);
                    }
                    lineStart = pos + 1;
                    ones = false;
                } else {
                    ones = true;
                }
                zeros = 0;
            }
            if (lineStart >= 0 && ones) {
                if (n == starts.length) {
                    starts = java.util.Arrays.copyOf(starts, n + 1);
                    ends = java.util.Arrays.copyOf(ends, n + 1);
                }
                starts[n] = lineStart;
                ends[n] = total;
                n++;
            }
            return new Lines(starts, ends, n);
        }

        int start(int i) {
            return starts[i];
        }

        int end(int i) {
            return ends[i];
        }
    }

    /** Bits appended MSB first. */
    private static final class BitWriter {
        private final ByteArrayOutputStream out;
        private int acc;
        private int n;

        BitWriter(int size) {
            out = new ByteArrayOutputStream(size);
        }

        void bit(boolean one) {
            acc = acc << 1 | (one ? 1 : 0);
            if (++n == 8) {
                out.write(acc);
                acc = 0;
                n = 0;
            }
        }

        /** An EOL; {@code aligned}: fill bits first so that it ends on an octet boundary (T.4 §4.1.3). */
        void eol(boolean aligned) {
            if (aligned) {
                int fill = (8 - (n + 12) % 8) % 8;
                for (int i = 0; i < fill; i++) {
                    bit(false);
                }
            }
            for (int i = 0; i < EOL_ZEROS; i++) {
                bit(false);
            }
            bit(true);
        }

        void copy(byte[] data, int from, int to) {
            for (int pos = from; pos < to; pos++) {
                bit((data[pos >> 3] & (0x80 >> (pos & 7))) != 0);
            }
        }

        byte[] toByteArray() {
            if (n > 0) {
                out.write(acc << (8 - n));
                acc = 0;
                n = 0;
            }
            return out.toByteArray();
        }
    }
}
