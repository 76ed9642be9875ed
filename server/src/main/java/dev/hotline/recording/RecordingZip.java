package dev.hotline.recording;

import dev.hotline.masking.NumberMask;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * REC-3 batch download: several recordings as one zip written straight to the response as each file is read (local
 * or from the archive; nothing is copied aside first), with {@code manifest.csv} describing the calls (numbers masked
 * for the viewer). A file that cannot be read is left out and named in {@code errors.txt}.
 */
public final class RecordingZip {
    private RecordingZip() {}

    /** The most recordings one zip holds. */
    public static final int MAX_FILES = 100;

    static final List<String> COLUMNS = List.of("file", "id", "call_id", "started_at", "duration_ms", "format", "stereo", "caller", "callee",
            "direction", "extension", "comments", "score", "archive_status");

    /** Opens a recording's bytes (the local file or the archived copy). */
    public interface Source {
        InputStream open(RecordingStore.Stored rec) throws IOException;
    }

    public static void write(OutputStream response, List<RecordingStore.Stored> recs, Map<Long, RecordingStore.RecordingView> views,
                             NumberMask mask, Source source) throws IOException {
        List<String> errors = new ArrayList<>();
        try (ZipOutputStream zip = new ZipOutputStream(response, StandardCharsets.UTF_8)) {
            zip.setLevel(Deflater.BEST_SPEED);
            zip.putNextEntry(new ZipEntry("manifest.csv"));
            CSVPrinter csv = new CSVPrinter(new OutputStreamWriter(zip, StandardCharsets.UTF_8), CSVFormat.DEFAULT.builder()
                    .setHeader(COLUMNS.toArray(String[]::new)).get());
            for (RecordingStore.Stored r : recs) {
                RecordingStore.RecordingView v = views.get(r.id());
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("file", r.fileName());
                row.put("id", r.id());
                row.put("call_id", r.callId());
                row.put("started_at", r.startedAt().toString());
                row.put("duration_ms", r.durationMs());
                row.put("format", r.format());
                row.put("stereo", r.stereo());
                row.put("caller", v == null ? null : v.caller());
                row.put("callee", v == null ? null : v.callee());
                row.put("direction", v == null ? null : v.direction());
                row.put("extension", v == null ? null : v.extension());
                row.put("comments", v == null ? 0 : v.comments());
                row.put("score", v == null ? null : v.score());
                row.put("archive_status", r.status().key());
                csv.printRecord(mask.row(row).values());
            }
            csv.flush();
            zip.closeEntry();
            for (RecordingStore.Stored r : recs) {
                InputStream in;
                try {
                    in = source.open(r);
                } catch (IOException | RuntimeException e) {
                    errors.add(r.fileName() + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
                    continue;
                }
                try (InputStream file = in) {
                    ZipEntry entry = new ZipEntry(r.fileName());
                    entry.setTime(r.startedAt().toEpochMilli());
                    zip.putNextEntry(entry);
                    file.transferTo(zip);
                    zip.closeEntry();
                }
            }
            if (!errors.isEmpty()) {
                zip.putNextEntry(new ZipEntry("errors.txt"));
                zip.write((String.join("\n", errors) + "\n").getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
    }
}
