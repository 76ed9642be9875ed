package dev.hotline.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotline.domain.DomainException;
import dev.hotline.domain.JsonMapper;
import dev.hotline.mail.SecretBox;
import dev.hotline.tenant.Enterprise;
import dev.hotline.tenant.EnterpriseStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Clob;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Update;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * OPS-2: configuration backup and restore, per enterprise and for the whole server (docs/operations.md).
 * Export writes every kind of {@link BackupKinds#ALL} as JSON rows plus the enterprise's audio into a {@link BackupFile},
 * secrets encrypted under a passphrase. Restore inserts the rows in kind order in one transaction, each row under a new
 * id, every reference to an id remapped to the new one; a restored enterprise has exactly what the file holds.
 */
public final class ConfigBackup {
    private static final ObjectMapper JSON = JsonMapper.MAPPER;
    private static final String AUDIO = "audio";

    private final Jdbi jdbi;
    private final Path dataDir;
    private final Map<String, SecretBox> serverSecrets;
    private final Clock clock;

    /** @param serverSecrets the server's secret boxes by the names {@link BackupKinds.Kind#sealed} uses (mail, sms, archive) */
    public ConfigBackup(Jdbi jdbi, Path dataDir, Map<String, SecretBox> serverSecrets, Clock clock) {
        this.jdbi = jdbi;
        this.dataDir = dataDir;
        this.serverSecrets = Map.copyOf(serverSecrets);
        this.clock = clock;
        for (BackupKinds.Kind k : BackupKinds.ALL) {
            for (String box : k.sealed().values()) {
                if (!this.serverSecrets.containsKey(box)) throw new IllegalArgumentException("no secret box " + box + " for " + k.table());
            }
        }
    }

    private SecretBox box(BackupKinds.Kind k, String col) {
        return serverSecrets.get(k.sealed().get(col));
    }

    /** What a restore made. */
    public record Restored(List<String> enterprises, Map<String, Integer> rows, int audioFiles) {}

    /** One enterprise's configuration as a backup file. */
    public byte[] exportEnterprise(long enterpriseId, String passphrase) {
        Enterprise e = jdbi.withHandle(h -> EnterpriseStore.byId(h, enterpriseId)).orElseThrow(() -> DomainException.notFound("enterprise"));
        return export(List.of(e), "enterprise", passphrase);
    }

    /** Every enterprise's configuration (the operator's own excepted) as one backup file. */
    public byte[] exportServer(String passphrase) {
        List<Enterprise> all = jdbi.withHandle(EnterpriseStore::list).stream().filter(e -> !e.code().equals(Enterprise.SYSTEM)).toList();
        return export(all, "server", passphrase);
    }

    private byte[] export(List<Enterprise> enterprises, String scope, String passphrase) {
        Passphrase key = Passphrase.forExport(passphrase);
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("format", BackupFile.FORMAT);
        manifest.put("formatVersion", BackupFile.VERSION);
        manifest.put("createdAt", clock.instant().toString());
        manifest.put("scope", scope);
        manifest.put("note", "configuration only: call records, recordings, voicemail and the event log are in the database backup");
        ObjectNode secrets = manifest.putObject("secrets");
        secrets.put("cipher", "AES-256-GCM");
        secrets.put("kdf", Passphrase.KDF);
        secrets.put("iterations", key.iterations());
        secrets.put("salt", key.saltBase64());
        secrets.put("check", key.encrypt(Passphrase.CHECK_TEXT));
        ArrayNode list = manifest.putArray("enterprises");
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try {
            jdbi.useHandle(h -> {
                for (Enterprise e : enterprises) {
                    String dir = "enterprises/" + e.code() + "/";
                    ObjectNode ent = list.addObject();
                    ent.put("code", e.code());
                    ent.put("name", e.name());
                    ObjectNode counts = ent.putObject("rows");
                    ObjectNode row = JSON.createObjectNode();
                    row.put("code", e.code());
                    row.put("name", e.name());
                    row.put("sipDomain", e.sipDomain());
                    row.put("enabled", e.enabled());
                    entries.put(dir + "enterprise.json", JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(row));
                    for (BackupKinds.Kind k : BackupKinds.ALL) {
                        ArrayNode rows = rows(h, k, e.id(), key);
                        counts.put(k.table(), rows.size());
                        entries.put(dir + k.table() + ".json", JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(rows));
                    }
                    int audio = 0;
                    for (String folder : BackupKinds.AUDIO_FOLDERS) {
                        Path root = dataDir.resolve(folder).resolve(Long.toString(e.id()));
                        if (!Files.isDirectory(root)) continue;
                        try (Stream<Path> files = Files.walk(root)) {
                            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                                String rel = root.relativize(f).toString().replace('\\', '/');
                                if (rel.startsWith(".") || rel.contains("/.")) continue; // partial uploads and temporary files
                                entries.put(dir + AUDIO + "/" + folder + "/" + rel, Files.readAllBytes(f));
                                audio++;
                            }
                        }
                    }
                    ent.put("audioFiles", audio);
                }
            });
            return BackupFile.write(JSON, manifest, entries);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ArrayNode rows(Handle h, BackupKinds.Kind k, long enterpriseId, Passphrase key) {
        String sql = k.owner() == BackupKinds.Owner.ENTERPRISE
                ? "SELECT * FROM " + k.table() + " WHERE enterprise_id = :e"
                : "SELECT * FROM " + k.table() + " WHERE " + k.parentColumn() + " IN (SELECT id FROM " + k.parentTable()
                + " WHERE enterprise_id = :e)";
        if (k.identity()) sql += " ORDER BY id";
        ArrayNode out = JSON.createArrayNode();
        for (Map<String, Object> r : h.createQuery(sql).bind("e", enterpriseId).mapToMap().list()) {
            ObjectNode row = out.addObject();
            for (var c : r.entrySet()) {
                String col = c.getKey().toLowerCase(java.util.Locale.ROOT);
                Object v = c.getValue();
                if (v != null && k.secrets().contains(col)) v = key.encrypt(v.toString());
                if (v != null && k.sealed().containsKey(col)) v = key.encrypt(box(k, col).decrypt(v.toString()));
                row.set(col, toJson(v));
            }
        }
        return out;
    }

    private static JsonNode toJson(Object v) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (v == null) return f.nullNode();
        if (v instanceof Boolean b) return f.booleanNode(b);
        if (v instanceof Long n) return f.numberNode(n);
        if (v instanceof Integer n) return f.numberNode(n);
        if (v instanceof Short n) return f.numberNode(n);
        if (v instanceof BigDecimal n) return f.numberNode(n);
        if (v instanceof Number n) return f.numberNode(n.doubleValue());
        if (v instanceof OffsetDateTime t) return f.textNode(t.toInstant().toString());
        if (v instanceof Timestamp t) return f.textNode(t.toInstant().toString());
        if (v instanceof Instant t) return f.textNode(t.toString());
        if (v instanceof Clob c) {
            try (Reader r = c.getCharacterStream()) {
                StringBuilder sb = new StringBuilder();
                char[] buf = new char[8192];
                int n;
                while ((n = r.read(buf)) > 0) sb.append(buf, 0, n);
                return f.textNode(sb.toString());
            } catch (IOException | SQLException e) {
                throw new IllegalStateException("cannot read a text column", e);
            }
        }
        return f.textNode(v.toString());
    }

    // ---------------------------------------------------------------- restore

    /** The operator's restore: each enterprise of the file becomes a new enterprise; a code or SIP domain in use is a 409. */
    public Restored restoreAsNew(InputStream file, String passphrase) {
        BackupFile.Contents c = BackupFile.read(JSON, file);
        Passphrase key = key(c, passphrase);
        List<String> codes = codes(c);
        Map<String, Integer> counts = new LinkedHashMap<>();
        int audio = jdbi.inTransaction(h -> {
            List<Runnable> files = new ArrayList<>();
            for (String code : codes) {
                JsonNode ent = json(c, "enterprises/" + code + "/enterprise.json");
                String name = text(ent, "name", "enterprises/" + code + "/enterprise.json");
                String domain = text(ent, "sipDomain", "enterprises/" + code + "/enterprise.json");
                if (code.equals(Enterprise.SYSTEM)) throw DomainException.badRequest("the file restores the operator's enterprise, which no backup holds");
                if (EnterpriseStore.byCode(h, code).isPresent()) {
                    throw DomainException.conflict("enterprise " + code + " already exists on this server", "code", "already exists");
                }
                if (h.createQuery("SELECT COUNT(*) FROM enterprise WHERE sip_domain = :d").bind("d", domain).mapTo(Long.class).one() > 0) {
                    throw DomainException.conflict("SIP domain " + domain + " of enterprise " + code + " is in use on this server");
                }
                long id = EnterpriseStore.insert(h, code, name, domain, clock.instant());
                if (ent.has("enabled") && !ent.get("enabled").asBoolean(true)) {
                    h.createUpdate("UPDATE enterprise SET enabled = FALSE WHERE id = :id").bind("id", id).execute();
                }
                insertRows(h, id, code, c, key, counts);
                files.add(() -> writeAudio(id, code, c, false));
            }
            return writeAll(files, c);
        });
        return new Restored(codes, counts, audio);
    }

    /**
     * An enterprise admin's restore into their own enterprise: refused (409) unless it is empty (no extensions, trunks,
     * numbers, queues, flows, ring groups or rooms and at most one user) or {@code replace} is asked; then its configuration
     * is replaced by the file's, which must hold one enterprise. Its users' sessions end with them.
     */
    public Restored restoreInto(long enterpriseId, InputStream file, String passphrase, boolean replace) {
        BackupFile.Contents c = BackupFile.read(JSON, file);
        Passphrase key = key(c, passphrase);
        List<String> codes = codes(c);
        if (codes.size() != 1) {
            throw DomainException.badRequest("the file holds " + codes.size() + " enterprises: the operator restores a server backup");
        }
        String code = codes.get(0);
        Map<String, Integer> counts = new LinkedHashMap<>();
        int audio = jdbi.inTransaction(h -> {
            if (!replace && !isEmpty(h, enterpriseId)) {
                throw DomainException.conflict("the enterprise already has configuration: restore with mode=replace to replace it");
            }
            deleteConfiguration(h, enterpriseId);
            insertRows(h, enterpriseId, code, c, key, counts);
            return writeAll(List.of(() -> writeAudio(enterpriseId, code, c, true)), c);
        });
        return new Restored(codes, counts, audio);
    }

    private int writeAll(List<Runnable> writers, BackupFile.Contents c) {
        writers.forEach(Runnable::run);
        return (int) c.entries().keySet().stream().filter(n -> n.matches("enterprises/[^/]+/" + AUDIO + "/.+")).count();
    }

    static boolean isEmpty(Handle h, long enterpriseId) {
        for (String t : List.of("extension", "trunk", "did", "acd_queue", "ivr_flow", "ring_group", "conference_room")) {
            if (h.createQuery("SELECT COUNT(*) FROM " + t + " WHERE enterprise_id = :e").bind("e", enterpriseId).mapTo(Long.class).one() > 0) {
                return false;
            }
        }
        return h.createQuery("SELECT COUNT(*) FROM app_user WHERE enterprise_id = :e").bind("e", enterpriseId).mapTo(Long.class).one() <= 1;
    }

    private static void deleteConfiguration(Handle h, long enterpriseId) {
        h.createUpdate("UPDATE department SET parent_id = NULL WHERE enterprise_id = :e").bind("e", enterpriseId).execute();
        List<BackupKinds.Kind> reversed = new ArrayList<>(BackupKinds.ALL);
        java.util.Collections.reverse(reversed);
        for (BackupKinds.Kind k : reversed) {
            String sql = k.owner() == BackupKinds.Owner.ENTERPRISE
                    ? "DELETE FROM " + k.table() + " WHERE enterprise_id = :e"
                    : "DELETE FROM " + k.table() + " WHERE " + k.parentColumn() + " IN (SELECT id FROM " + k.parentTable()
                    + " WHERE enterprise_id = :e)";
            try {
                h.createUpdate(sql).bind("e", enterpriseId).execute();
            } catch (UnableToExecuteStatementException e) {
                if (e.getCause() instanceof SQLException s && "23503".equals(s.getSQLState())) {
                    throw DomainException.conflict("records that are not configuration (tickets, orders, notifications, ...) refer to this"
                            + " enterprise's " + k.table() + " rows: the operator restores the file as a new enterprise instead");
                }
                throw e;
            }
        }
    }

    private static Passphrase key(BackupFile.Contents c, String passphrase) {
        JsonNode s = c.manifest().path("secrets");
        if (!s.isObject()) throw DomainException.badRequest("manifest.json: no secrets");
        return Passphrase.forRestore(passphrase, s.path("salt").asText(), s.path("iterations").asInt(), s.path("check").asText());
    }

    private static List<String> codes(BackupFile.Contents c) {
        JsonNode list = c.manifest().path("enterprises");
        if (!list.isArray() || list.isEmpty()) throw DomainException.badRequest("manifest.json: no enterprises");
        List<String> codes = new ArrayList<>();
        for (JsonNode e : list) {
            String code = e.path("code").asText("");
            if (!code.matches(dev.hotline.tenant.Enterprises.CODE)) throw DomainException.badRequest("manifest.json: bad enterprise code " + code);
            if (codes.contains(code)) throw DomainException.badRequest("manifest.json: enterprise " + code + " twice");
            codes.add(code);
        }
        return codes;
    }

    private static JsonNode json(BackupFile.Contents c, String name) {
        try {
            JsonNode n = JSON.readTree(c.entry(name));
            if (n == null) throw DomainException.badRequest(name + ": empty");
            return n;
        } catch (IOException e) {
            throw DomainException.badRequest(name + ": not JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
    }

    private static String text(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) throw DomainException.badRequest(where + ": " + field + " missing");
        return v.asText();
    }

    /** Inserts every kind's rows of enterprise {@code code} of the file under enterprise {@code enterpriseId}. */
    private void insertRows(Handle h, long enterpriseId, String code, BackupFile.Contents c, Passphrase key, Map<String, Integer> counts) {
        Map<String, Map<Long, Long>> ids = new HashMap<>();
        for (BackupKinds.Kind k : BackupKinds.ALL) {
            String name = "enterprises/" + code + "/" + k.table() + ".json";
            if (!c.entries().containsKey(name)) continue; // a kind the exporting server did not have
            JsonNode rows = json(c, name);
            if (!rows.isArray()) throw DomainException.badRequest(name + ": not a JSON array of rows");
            Map<String, Integer> columns = columns(h, k.table());
            Map<Long, Long> mine = ids.computeIfAbsent(k.table(), t -> new HashMap<>());
            List<long[]> selfRefs = new ArrayList<>(); // new id, old referred id
            String selfColumn = k.refs().entrySet().stream().filter(r -> r.getValue().equals(k.table())).map(Map.Entry::getKey).findFirst().orElse(null);
            int i = 0;
            for (JsonNode row : rows) {
                String where = name + " row " + (i + 1);
                if (!row.isObject()) throw DomainException.badRequest(where + ": not an object");
                Map<String, Object> values = new LinkedHashMap<>();
                Map<String, Integer> types = new LinkedHashMap<>();
                Long oldId = null;
                Long oldSelf = null;
                for (var it = row.fields(); it.hasNext(); ) {
                    var f = it.next();
                    String col = f.getKey();
                    JsonNode v = f.getValue();
                    if (k.identity() && col.equals("id")) {
                        if (!v.isIntegralNumber()) throw DomainException.badRequest(where + ": id must be a number");
                        oldId = v.asLong();
                        continue;
                    }
                    Integer type = columns.get(col);
                    if (type == null) throw DomainException.badRequest(where + ": unknown column " + clip(col));
                    types.put(col, type);
                    if (col.equals("enterprise_id")) {
                        values.put(col, enterpriseId);
                    } else if (k.refs().containsKey(col)) {
                        if (v.isNull()) {
                            values.put(col, null);
                        } else if (!v.isIntegralNumber()) {
                            throw DomainException.badRequest(where + ": " + col + " must be a number");
                        } else if (col.equals(selfColumn)) {
                            oldSelf = v.asLong();
                            values.put(col, null);
                        } else {
                            Long mapped = ids.getOrDefault(k.refs().get(col), Map.of()).get(v.asLong());
                            if (mapped == null) {
                                throw DomainException.badRequest(where + ": " + col + " refers to a " + k.refs().get(col) + " row the file does not hold");
                            }
                            values.put(col, mapped);
                        }
                    } else if (!v.isNull() && (k.secrets().contains(col) || k.sealed().containsKey(col))) {
                        String plain = key.decrypt(v.asText());
                        values.put(col, k.sealed().containsKey(col) ? box(k, col).encrypt(plain) : plain);
                    } else {
                        values.put(col, value(v, type, where, col));
                    }
                }
                if (k.identity() && oldId == null) throw DomainException.badRequest(where + ": id missing");
                if (k.owner() == BackupKinds.Owner.ENTERPRISE && !values.containsKey("enterprise_id")) {
                    values.put("enterprise_id", enterpriseId);
                    types.put("enterprise_id", Types.BIGINT);
                }
                if (k.owner() == BackupKinds.Owner.PARENT && values.get(k.parentColumn()) == null) {
                    throw DomainException.badRequest(where + ": " + k.parentColumn() + " missing");
                }
                long newId = insert(h, k, values, types, where);
                if (k.identity()) {
                    if (mine.put(oldId, newId) != null) throw DomainException.badRequest(where + ": id " + oldId + " twice");
                    if (oldSelf != null) selfRefs.add(new long[] {newId, oldSelf});
                }
                i++;
            }
            for (long[] s : selfRefs) {
                Long mapped = mine.get(s[1]);
                if (mapped == null) throw DomainException.badRequest(name + ": " + selfColumn + " refers to a row the file does not hold");
                h.createUpdate("UPDATE " + k.table() + " SET " + selfColumn + " = :v WHERE id = :id").bind("v", mapped).bind("id", s[0]).execute();
            }
            counts.merge(k.table(), i, Integer::sum);
        }
    }

    private static long insert(Handle h, BackupKinds.Kind k, Map<String, Object> values, Map<String, Integer> types, String where) {
        if (values.isEmpty()) throw DomainException.badRequest(where + ": no columns");
        List<String> cols = new ArrayList<>(values.keySet());
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(k.table()).append(" (").append(String.join(", ", cols)).append(") VALUES (");
        for (int i = 0; i < cols.size(); i++) sql.append(i == 0 ? "" : ", ").append(":c").append(i);
        sql.append(')');
        Update u = h.createUpdate(sql.toString());
        for (int i = 0; i < cols.size(); i++) {
            Object v = values.get(cols.get(i));
            if (v == null) u.bindNull("c" + i, types.get(cols.get(i)));
            else u.bind("c" + i, v);
        }
        try {
            if (k.identity()) return u.executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            u.execute();
            return 0;
        } catch (UnableToExecuteStatementException e) {
            if (e.getCause() instanceof SQLException s) {
                if ("23505".equals(s.getSQLState())) {
                    throw DomainException.conflict(where + ": a value that must be unique is already used on this server (" + k.table() + ")");
                }
                if (s.getSQLState() != null && (s.getSQLState().startsWith("23") || s.getSQLState().startsWith("22"))) {
                    throw DomainException.badRequest(where + ": refused by the database (" + clip(s.getMessage()) + ")");
                }
            }
            throw e;
        }
    }

    private static Object value(JsonNode v, int type, String where, String col) {
        if (v == null || v.isNull()) return null;
        switch (type) {
            case Types.BIGINT -> {
                if (!v.isIntegralNumber()) throw DomainException.badRequest(where + ": " + col + " must be a whole number");
                return v.asLong();
            }
            case Types.INTEGER, Types.SMALLINT, Types.TINYINT -> {
                if (!v.isIntegralNumber() || !v.canConvertToInt()) throw DomainException.badRequest(where + ": " + col + " must be a whole number");
                return v.asInt();
            }
            case Types.BOOLEAN, Types.BIT -> {
                if (!v.isBoolean()) throw DomainException.badRequest(where + ": " + col + " must be true or false");
                return v.asBoolean();
            }
            case Types.DECIMAL, Types.NUMERIC, Types.DOUBLE, Types.REAL, Types.FLOAT -> {
                if (!v.isNumber()) throw DomainException.badRequest(where + ": " + col + " must be a number");
                return v.decimalValue();
            }
            case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> {
                try {
                    return Instant.parse(v.asText()).atOffset(ZoneOffset.UTC);
                } catch (DateTimeParseException e) {
                    throw DomainException.badRequest(where + ": " + col + " must be an instant like 2026-01-31T08:00:00Z");
                }
            }
            case Types.DATE -> {
                try {
                    return LocalDate.parse(v.asText());
                } catch (DateTimeParseException e) {
                    throw DomainException.badRequest(where + ": " + col + " must be a date");
                }
            }
            case Types.TIME -> {
                try {
                    return LocalTime.parse(v.asText());
                } catch (DateTimeParseException e) {
                    throw DomainException.badRequest(where + ": " + col + " must be a time");
                }
            }
            default -> {
                if (!v.isTextual()) throw DomainException.badRequest(where + ": " + col + " must be text");
                return v.asText();
            }
        }
    }

    /** The table's columns (lower case) and their JDBC types. */
    private static Map<String, Integer> columns(Handle h, String table) {
        Map<String, Integer> out = new HashMap<>();
        try (Statement s = h.getConnection().createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + table + " WHERE 1 = 0")) {
            ResultSetMetaData md = rs.getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++) out.put(md.getColumnName(i).toLowerCase(java.util.Locale.ROOT), md.getColumnType(i));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the columns of " + table, e);
        }
        return out;
    }

    /** Writes the enterprise's audio from the file (after clearing its folders when {@code replace}). */
    private void writeAudio(long enterpriseId, String code, BackupFile.Contents c, boolean replace) {
        String prefix = "enterprises/" + code + "/" + AUDIO + "/";
        try {
            for (String folder : BackupKinds.AUDIO_FOLDERS) {
                Path root = dataDir.resolve(folder).resolve(Long.toString(enterpriseId));
                if (replace && Files.isDirectory(root)) {
                    try (Stream<Path> old = Files.walk(root)) {
                        for (Path p : old.sorted(Comparator.reverseOrder()).toList()) if (!p.equals(root)) Files.delete(p);
                    }
                }
            }
            for (var e : c.entries().entrySet()) {
                if (!e.getKey().startsWith(prefix)) continue;
                String rest = e.getKey().substring(prefix.length());
                int slash = rest.indexOf('/');
                String folder = slash < 0 ? "" : rest.substring(0, slash);
                if (!BackupKinds.AUDIO_FOLDERS.contains(folder)) throw DomainException.badRequest("file: " + e.getKey() + " is in no audio folder");
                Path root = dataDir.resolve(folder).resolve(Long.toString(enterpriseId)).normalize();
                Path target = root.resolve(rest.substring(slash + 1)).normalize();
                if (!target.startsWith(root)) throw DomainException.badRequest("file: bad entry name " + e.getKey());
                Files.createDirectories(target.getParent());
                Files.write(target, e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the restored audio: " + e.getMessage(), e);
        }
    }

    private static String clip(String s) {
        return s == null ? "" : s.length() > 120 ? s.substring(0, 120) + "…" : s;
    }
}
