package dev.hotline.engine.fax;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
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
 * A fax document: its pages as bilevel images 1728 pels wide (T.4 §2.2) at standard (3.85 lines/mm) or fine (7.7
 * lines/mm) vertical resolution. Read from a TIFF (every page) or PNG file, scaled to the fax width and thresholded, cut
 * into A4 lengths; written as a multi-page TIFF with CCITT T.6 compression and the fax resolutions.
 */
public record FaxDocument(List<BufferedImage> pages, boolean fine) {
    /** Pixels of one source page at most (an A4 page at 600 dpi is 35 million). */
    static final long MAX_PIXELS = 40_000_000L;
    /** Pages of a document we send at most. */
    public static final int MAX_PAGES = 50;
    /** T.4 §2.3: 297 mm at 3.85 lines/mm (standard) and 7.7 lines/mm (fine). */
    static final int A4_LINES_STANDARD = 1143;
    static final int A4_LINES_FINE = 2287;

    public FaxDocument {
        pages = List.copyOf(pages);
        if (pages.isEmpty()) {
            throw new IllegalArgumentException("a fax document needs a page");
        }
        for (BufferedImage p : pages) {
            if (p.getWidth() != T4.WIDTH || p.getType() != BufferedImage.TYPE_BYTE_BINARY) {
                throw new IllegalArgumentException("fax pages are bilevel images " + T4.WIDTH + " pels wide");
            }
        }
    }

    /**
     * Reads an image file (TIFF, PNG; anything the JDK's image I/O reads) as a fax document. Refuses what is not an
     * image or has more than {@link #MAX_PAGES} pages with {@link IllegalArgumentException}.
     */
    public static FaxDocument read(byte[] file, boolean fine) {
        List<BufferedImage> pages = new ArrayList<>();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(file))) {
            var readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IllegalArgumentException("not an image (TIFF or PNG expected)");
            }
            ImageReader r = readers.next();
            try {
                r.setInput(in);
                int n = r.getNumImages(true);
                for (int i = 0; i < n; i++) {
                    // the header's size first: a small file may declare a huge image (a decompression bomb)
                    if ((long) r.getWidth(i) * r.getHeight(i) > MAX_PIXELS) {
                        throw new IllegalArgumentException("page " + (i + 1) + " is too large (" + r.getWidth(i) + " × "
                                + r.getHeight(i) + " pixels, at most " + MAX_PIXELS / 1_000_000 + " million)");
                    }
                    for (BufferedImage p : toFaxPages(r.read(i), fine)) {
                        pages.add(p);
                        if (pages.size() > MAX_PAGES) {
                            throw new IllegalArgumentException("more than " + MAX_PAGES + " pages");
                        }
                    }
                }
            } finally {
                r.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalArgumentException("not a readable image: " + e.getMessage());
        }
        if (pages.isEmpty()) {
            throw new IllegalArgumentException("the image has no page");
        }
        return new FaxDocument(pages, fine);
    }

    /** A page already 1728 pels wide is kept line for line; any other is scaled to that width (square pels). */
    static List<BufferedImage> toFaxPages(BufferedImage src, boolean fine) {
        int height;
        if (src.getWidth() == T4.WIDTH) {
            height = src.getHeight();
        } else {
            // 8 pels/mm across; 7.7 or 3.85 lines/mm down (T.4 §2.1, §2.2)
            double lines = src.getHeight() * (double) T4.WIDTH / src.getWidth() * (fine ? 7.7 : 3.85) / 8.0;
            height = Math.max(1, (int) Math.round(lines));
        }
        BufferedImage whole = new BufferedImage(T4.WIDTH, height, BufferedImage.TYPE_BYTE_BINARY);
        if (src.getWidth() == T4.WIDTH && src.getType() == BufferedImage.TYPE_BYTE_BINARY) {
            whole.setData(src.getRaster());
        } else {
            BufferedImage gray = new BufferedImage(T4.WIDTH, height, BufferedImage.TYPE_BYTE_GRAY);
            Graphics2D g = gray.createGraphics();
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, T4.WIDTH, height);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(src, 0, 0, T4.WIDTH, height, null);
            g.dispose();
            var in = gray.getRaster();
            var out = whole.getRaster();
            int[] row = new int[T4.WIDTH];
            for (int y = 0; y < height; y++) {
                in.getSamples(0, y, T4.WIDTH, 1, 0, row);
                for (int x = 0; x < T4.WIDTH; x++) {
                    row[x] = row[x] >= 128 ? 1 : 0; // 1 = white in the binary colour model
                }
                out.setSamples(0, y, T4.WIDTH, 1, 0, row);
            }
        }
        int a4 = fine ? A4_LINES_FINE : A4_LINES_STANDARD;
        List<BufferedImage> pages = new ArrayList<>();
        for (int top = 0; top < height; top += a4) {
            int h = Math.min(a4, height - top);
            BufferedImage p = new BufferedImage(T4.WIDTH, h, BufferedImage.TYPE_BYTE_BINARY);
            p.setData(whole.getRaster().createChild(0, top, T4.WIDTH, h, 0, 0, null));
            pages.add(p);
        }
        return pages;
    }

    /** The document as a multi-page TIFF: CCITT T.6, 204 × 98 or 204 × 196 dots per inch. */
    public byte[] toTiff() {
        ImageWriter w = ImageIO.getImageWritersByFormatName("tiff").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            w.setOutput(out);
            ImageWriteParam p = w.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionType("CCITT T.6");
            w.prepareWriteSequence(null);
            for (BufferedImage page : pages) {
                TIFFDirectory d = TIFFDirectory.createFromMetadata(
                        w.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(page), p));
                d.addTIFFField(rational(BaselineTIFFTagSet.TAG_X_RESOLUTION, 204));
                d.addTIFFField(rational(BaselineTIFFTagSet.TAG_Y_RESOLUTION, fine ? 196 : 98));
                d.addTIFFField(new TIFFField(BaselineTIFFTagSet.getInstance().getTag(
                        BaselineTIFFTagSet.TAG_RESOLUTION_UNIT), BaselineTIFFTagSet.RESOLUTION_UNIT_INCH));
                w.writeToSequence(new IIOImage(page, null, d.getAsMetadata()), p);
            }
            w.endWriteSequence();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            w.dispose();
        }
        return bytes.toByteArray();
    }

    private static TIFFField rational(int tag, long value) {
        return new TIFFField(BaselineTIFFTagSet.getInstance().getTag(tag), TIFFTag.TIFF_RATIONAL, 1,
                new long[][]{{value, 1}});
    }

    /** True when both images have the same size and every pel the same colour. */
    public static boolean samePels(BufferedImage a, BufferedImage b) {
        if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
            return false;
        }
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                if ((a.getRGB(x, y) & 0xFFFFFF) != (b.getRGB(x, y) & 0xFFFFFF)) {
                    return false;
                }
            }
        }
        return true;
    }
}
