package dev.hotline.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotline.domain.DomainException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The backup file: a zip holding {@code manifest.json} (format, version, what it holds, the secrets' key parameters and
 * a SHA-256 of every other entry), one JSON file per kind of configuration per enterprise and the enterprises' audio.
 * Reading checks sizes, names and checksums; a bad file is a 400 naming the problem.
 */
final class BackupFile {
    static final String FORMAT = "hotline-config-backup";
    static final int VERSION = 1;
    static final String MANIFEST = "manifest.json";
    static final long MAX_TOTAL_BYTES = 512L * 1024 * 1024;
    static final int MAX_ENTRIES = 20_000;
    private static final String ENTRY_NAME = "[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*";

    private BackupFile() {}

    /** A read file: its manifest and every other entry by name, checksums verified. */
    record Contents(JsonNode manifest, Map<String, byte[]> entries) {
        byte[] entry(String name) {
            byte[] b = entries.get(name);
            if (b == null) throw DomainException.badRequest("the file has no " + name);
            return b;
        }
    }

    static byte[] write(ObjectMapper json, ObjectNode manifest, Map<String, byte[]> entries) throws IOException {
        ObjectNode sums = manifest.putObject("files");
        for (var e : entries.entrySet()) sums.put(e.getKey(), sha256(e.getValue()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry(MANIFEST));
            zip.write(json.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
            zip.closeEntry();
            for (var e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    static Contents read(ObjectMapper json, InputStream in) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        byte[] manifestBytes = null;
        long total = 0;
        try (ZipInputStream zip = new ZipInputStream(in)) {
            ZipEntry e;
            byte[] buf = new byte[65536];
            while ((e = zip.getNextEntry()) != null) {
                if (e.isDirectory()) continue;
                String name = e.getName();
                if (!name.matches(ENTRY_NAME) || name.contains("..")) throw DomainException.badRequest("file: bad entry name " + clip(name));
                if (entries.size() >= MAX_ENTRIES) throw DomainException.badRequest("file: more than " + MAX_ENTRIES + " entries");
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                int n;
                while ((n = zip.read(buf)) > 0) {
                    total += n;
                    if (total > MAX_TOTAL_BYTES) throw DomainException.badRequest("file: more than 512 MB unpacked");
                    b.write(buf, 0, n);
                }
                if (name.equals(MANIFEST)) manifestBytes = b.toByteArray();
                else if (entries.put(name, b.toByteArray()) != null) throw DomainException.badRequest("file: " + name + " twice");
            }
        } catch (ZipException e) {
            throw DomainException.badRequest("file: not a zip file (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw DomainException.badRequest("file: cannot be read (" + e.getMessage() + ")");
        }
        if (manifestBytes == null) throw DomainException.badRequest("file: not a Hotline configuration backup (no manifest.json)");
        JsonNode manifest;
        try {
            manifest = json.readTree(manifestBytes);
        } catch (IOException e) {
            throw DomainException.badRequest("manifest.json: not JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (manifest == null || !FORMAT.equals(manifest.path("format").asText())) {
            throw DomainException.badRequest("manifest.json: format is not " + FORMAT);
        }
        int version = manifest.path("formatVersion").asInt(-1);
        if (version != VERSION) throw DomainException.badRequest("manifest.json: formatVersion " + version + " is not supported (this server reads " + VERSION + ")");
        JsonNode sums = manifest.path("files");
        if (!sums.isObject()) throw DomainException.badRequest("manifest.json: no files");
        for (var it = sums.fields(); it.hasNext(); ) {
            var f = it.next();
            byte[] b = entries.get(f.getKey());
            if (b == null) throw DomainException.badRequest("file: " + clip(f.getKey()) + " listed in the manifest is missing");
            if (!sha256(b).equals(f.getValue().asText())) throw DomainException.badRequest("file: " + f.getKey() + " does not match its checksum");
        }
        for (String name : entries.keySet()) {
            if (!sums.has(name)) throw DomainException.badRequest("file: " + name + " is not in the manifest");
        }
        return new Contents(manifest, entries);
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String clip(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
