package dev.hotline.engine.media;

import dev.hotline.engine.codec.Gsm610;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * Streams 8 kHz audio into a WAV file (PCM 16-bit, μ-law, A-law or GSM 06.10), mono or
 * stereo (e.g. caller left, agent right).
 *
 * <p>Crash safety: data goes to the file in chunks, and after each chunk the RIFF, fact and
 * data sizes in the header are rewritten to cover exactly the data written so far. A file
 * whose writer was never closed (process killed, server stopped) is therefore a valid,
 * playable WAV of everything up to the last flush. {@link #flush()} writes what is pending;
 * a flush also happens by itself whenever about {@code flushBytes} are pending.
 *
 * <p>Not thread-safe: one writer per recording, fed from one thread (off the media clock).
 * Buffers are reused; writing allocates nothing.
 */
public final class WavWriter implements Closeable {
    public static final int SAMPLE_RATE = 8000;
    /** Default size of pending data that triggers a flush (about 1 s of stereo PCM). */
    public static final int DEFAULT_FLUSH_BYTES = 32 * 1024;

    private final Path file;
    private final FileChannel ch;
    private final WavEncoding encoding;
    private final int channels;
    private final int headerSize;
    private final int flushBytes;
    private final ByteBuffer header;
    private final byte[] pending;
    private int pendingLen;
    private long dataBytes;
    private long sampleFrames;
    // GSM: samples waiting for a whole 320-sample block
    private final short[] gsmBlock;
    private int gsmFill;
    private final Gsm610.Encoder gsm;
    private boolean closed;
    private byte[] trailer = new byte[0];
    private boolean trailerWritten;

    private WavWriter(Path file, WavEncoding encoding, int channels, int flushBytes) throws IOException {
        if (channels != 1 && channels != 2) {
            throw new IllegalArgumentException("mono or stereo only");
        }
        if (encoding == WavEncoding.GSM_610 && channels != 1) {
            throw new IllegalArgumentException("WAV GSM 06.10 is mono only");
        }
        this.file = file;
        this.encoding = encoding;
        this.channels = channels;
        this.flushBytes = Math.max(flushBytes, 1024);
        this.headerSize = encoding == WavEncoding.PCM_16 ? 44 : (encoding == WavEncoding.GSM_610 ? 60 : 58);
        this.header = ByteBuffer.allocate(headerSize).order(ByteOrder.LITTLE_ENDIAN);
        this.pending = new byte[this.flushBytes + 4 * 1024];
        this.gsm = encoding == WavEncoding.GSM_610 ? new Gsm610.Encoder() : null;
        this.gsmBlock = encoding == WavEncoding.GSM_610 ? new short[Gsm610.WAV_BLOCK_SAMPLES] : null;
        this.ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        try {
            writeHeader();
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    /** Creates (or truncates) {@code file} and writes an empty but valid WAV header. */
    public static WavWriter create(Path file, WavEncoding encoding, int channels) throws IOException {
        return new WavWriter(file, encoding, channels, DEFAULT_FLUSH_BYTES);
    }

    /** As {@link #create(Path, WavEncoding, int)} with a chosen flush threshold in bytes. */
    public static WavWriter create(Path file, WavEncoding encoding, int channels, int flushBytes) throws IOException {
        return new WavWriter(file, encoding, channels, flushBytes);
    }

    public Path file() {
        return file;
    }

    public WavEncoding encoding() {
        return encoding;
    }

    public int channels() {
        return channels;
    }

    /** Sample frames accepted so far (per channel). */
    public long sampleFrames() {
        return sampleFrames;
    }

    public Duration duration() {
        return Duration.ofNanos(sampleFrames * 1_000_000_000L / SAMPLE_RATE);
    }

    /** Appends mono samples (a mono file only). */
    public void write(short[] pcm, int off, int len) throws IOException {
        ensureOpen();
        if (channels != 1) {
            throw new IllegalStateException("stereo file: use writeStereo");
        }
        if (encoding == WavEncoding.GSM_610) {
            sampleFrames += len; // before any flush, so that the fact chunk counts whole blocks
            for (int i = 0; i < len; i++) {
                gsmBlock[gsmFill++] = pcm[off + i];
                if (gsmFill == Gsm610.WAV_BLOCK_SAMPLES) {
                    encodeGsmBlock();
                }
            }
            return;
        }
        int bps = encoding.blockBytes();
        for (int i = 0; i < len; i++) {
            if (pendingLen + bps > pending.length) {
                flush();
            }
            encoding.encode(pcm[off + i], pending, pendingLen);
            pendingLen += bps;
        }
        sampleFrames += len;
        if (pendingLen >= flushBytes) {
            flush();
        }
    }

    /** Appends stereo samples, {@code left[i]} and {@code right[i]} together (a stereo file only). */
    public void writeStereo(short[] left, short[] right, int off, int len) throws IOException {
        ensureOpen();
        if (channels != 2) {
            throw new IllegalStateException("mono file: use write");
        }
        int bps = encoding.blockBytes();
        for (int i = 0; i < len; i++) {
            if (pendingLen + 2 * bps > pending.length) {
                flush();
            }
            encoding.encode(left[off + i], pending, pendingLen);
            encoding.encode(right[off + i], pending, pendingLen + bps);
            pendingLen += 2 * bps;
        }
        sampleFrames += len;
        if (pendingLen >= flushBytes) {
            flush();
        }
    }

    /**
     * Writes pending data and then rewrites the header sizes, so the file on disk is a complete
     * WAV of everything flushed. (GSM samples short of a whole 320-sample block wait for the
     * next block or for {@link #close()}.)
     */
    public void flush() throws IOException {
        ensureOpen();
        if (pendingLen > 0) {
            ByteBuffer b = ByteBuffer.wrap(pending, 0, pendingLen);
            long pos = headerSize + dataBytes;
            while (b.hasRemaining()) {
                pos += ch.write(b, pos);
            }
            dataBytes += pendingLen;
            pendingLen = 0;
        }
        writeHeader();
    }

    /** Flushes and forces the file's content to the storage device. */
    public void sync() throws IOException {
        flush();
        ch.force(false);
    }

    /**
     * A comment written at {@link #close()} as a LIST/INFO chunk (ICMT) after the audio, where players and tools read
     * a file's metadata (e.g. the paused spans of a recording).
     */
    public void comment(String text) {
        ensureOpen();
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        int icmt = t.length + 1; // NUL-terminated
        int padded = icmt + (icmt & 1);
        ByteBuffer b = ByteBuffer.allocate(12 + 8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'L').put((byte) 'I').put((byte) 'S').put((byte) 'T').putInt(4 + 8 + padded);
        b.put((byte) 'I').put((byte) 'N').put((byte) 'F').put((byte) 'O');
        b.put((byte) 'I').put((byte) 'C').put((byte) 'M').put((byte) 'T').putInt(icmt);
        b.put(t);
        trailer = b.array();
    }

    /** Pads a partial GSM block with silence, writes everything and closes the file. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            if (encoding == WavEncoding.GSM_610 && gsmFill > 0) {
                java.util.Arrays.fill(gsmBlock, gsmFill, gsmBlock.length, (short) 0);
                encodeGsmBlock();
            }
            flush();
            if ((dataBytes & 1) != 0) {
                ch.write(ByteBuffer.wrap(new byte[1]), headerSize + dataBytes); // RIFF pad byte
                writeHeader();
            }
            if (trailer.length > 0) {
                ByteBuffer t = ByteBuffer.wrap(trailer);
                long pos = headerSize + dataBytes + (dataBytes & 1);
                while (t.hasRemaining()) {
                    pos += ch.write(t, pos);
                }
                trailerWritten = true;
                writeHeader();
            }
        } finally {
            closed = true;
            ch.close();
        }
    }

    private void encodeGsmBlock() throws IOException {
        if (pendingLen + Gsm610.WAV_BLOCK_BYTES > pending.length) {
            flush();
        }
        gsm.encodeWavBlock(gsmBlock, 0, pending, pendingLen);
        pendingLen += Gsm610.WAV_BLOCK_BYTES;
        gsmFill = 0;
        if (pendingLen >= flushBytes) {
            flush();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("closed: " + file);
        }
    }

    private void writeHeader() throws IOException {
        long frames;
        if (encoding == WavEncoding.GSM_610) {
            long blocks = dataBytes / Gsm610.WAV_BLOCK_BYTES;
            frames = Math.min(sampleFrames, blocks * Gsm610.WAV_BLOCK_SAMPLES);
        } else {
            frames = dataBytes / ((long) channels * encoding.blockBytes());
        }
        long padded = dataBytes + (dataBytes & 1);
        ByteBuffer h = header.clear();
        h.put((byte) 'R').put((byte) 'I').put((byte) 'F').put((byte) 'F');
        h.putInt((int) Math.min(0xFFFFFFFFL, headerSize - 8 + padded + (trailerWritten ? trailer.length : 0)));
        h.put((byte) 'W').put((byte) 'A').put((byte) 'V').put((byte) 'E');
        h.put((byte) 'f').put((byte) 'm').put((byte) 't').put((byte) ' ');
        int blockAlign = channels * encoding.blockBytes();
        switch (encoding) {
            case PCM_16 -> h.putInt(16);
            case GSM_610 -> h.putInt(20);
            default -> h.putInt(18);
        }
        h.putShort((short) encoding.formatTag());
        h.putShort((short) channels);
        h.putInt(SAMPLE_RATE);
        h.putInt(channels * encoding.bytesPerSecond(SAMPLE_RATE));
        h.putShort((short) blockAlign);
        h.putShort((short) encoding.bitsPerSample());
        if (encoding == WavEncoding.GSM_610) {
            h.putShort((short) 2).putShort((short) Gsm610.WAV_BLOCK_SAMPLES);
        } else if (encoding.needsFact()) {
            h.putShort((short) 0);
        }
        if (encoding.needsFact()) {
            h.put((byte) 'f').put((byte) 'a').put((byte) 'c').put((byte) 't');
            h.putInt(4);
            h.putInt((int) Math.min(0xFFFFFFFFL, frames));
        }
        h.put((byte) 'd').put((byte) 'a').put((byte) 't').put((byte) 'a');
        h.putInt((int) Math.min(0xFFFFFFFFL, dataBytes));
        if (h.position() != headerSize) {
            throw new IllegalStateException("header size " + h.position() + " != " + headerSize);
        }
        h.flip();
        long pos = 0;
        while (h.hasRemaining()) {
            pos += ch.write(h, pos);
        }
    }
}
