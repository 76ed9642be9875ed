package dev.hotline.engine.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Audio files converted once to 8 kHz mono and kept in memory, keyed by the file's path,
 * modification time and size: a changed file is read again. Bounded by a total number of
 * samples; the least recently used clips go first. Thread-safe; looked up when a playback
 * starts, never per frame.
 */
public final class AudioClipCache {
    private record Entry(long mtime, long size, AudioClip clip, AtomicLong lastUse) {
    }

    private final Map<Path, Entry> entries = new ConcurrentHashMap<>();
    private final long maxSamples;
    private final Function<Path, AudioClip> loader;
    private final AtomicLong clock = new AtomicLong();
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong loads = new AtomicLong();

    /** A cache of at most {@code maxSamples} samples (2 bytes each) loading with {@link WavReader#read}. */
    public AudioClipCache(long maxSamples) {
        this(maxSamples, p -> {
            try {
                return WavReader.read(p);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    AudioClipCache(long maxSamples, Function<Path, AudioClip> loader) {
        this.maxSamples = maxSamples;
        this.loader = loader;
    }

    /** The clip of a file, read and converted on first use or after the file changed. */
    public AudioClip get(Path file) throws IOException {
        Path key = file.toAbsolutePath().normalize();
        BasicFileAttributes attrs = Files.readAttributes(key, BasicFileAttributes.class);
        long mtime = attrs.lastModifiedTime().toMillis();
        long size = attrs.size();
        Entry e = entries.get(key);
        if (e != null && e.mtime == mtime && e.size == size) {
            e.lastUse.set(clock.incrementAndGet());
            hits.incrementAndGet();
            return e.clip;
        }
        AudioClip clip;
        try {
            clip = loader.apply(key);
        } catch (java.io.UncheckedIOException ex) {
            throw ex.getCause();
        }
        loads.incrementAndGet();
        entries.put(key, new Entry(mtime, size, clip, new AtomicLong(clock.incrementAndGet())));
        evict(key);
        return clip;
    }

    /** Drops one file's clip. */
    public void invalidate(Path file) {
        entries.remove(file.toAbsolutePath().normalize());
    }

    public void clear() {
        entries.clear();
    }

    public int size() {
        return entries.size();
    }

    public long hits() {
        return hits.get();
    }

    /** Files read and converted so far. */
    public long loads() {
        return loads.get();
    }

    private void evict(Path keep) {
        long total = 0;
        for (Entry e : entries.values()) {
            total += e.clip.length();
        }
        while (total > maxSamples && entries.size() > 1) {
            Map.Entry<Path, Entry> oldest = entries.entrySet().stream()
                    .filter(x -> !x.getKey().equals(keep))
                    .min(Comparator.comparingLong(x -> x.getValue().lastUse.get()))
                    .orElse(null);
            if (oldest == null || !entries.remove(oldest.getKey(), oldest.getValue())) {
                break;
            }
            total -= oldest.getValue().clip.length();
        }
    }
}
