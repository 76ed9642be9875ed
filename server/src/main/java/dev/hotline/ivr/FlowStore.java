package dev.hotline.ivr;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.hotline.domain.JsonMapper;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * SQL for flows and their versions. The draft is the highest version; saving a draft after a
 * publish adds a version, so a published graph is never changed in place.
 */
public final class FlowStore {
    private FlowStore() {}

    public record FlowInfo(long id, String name, String description, Integer publishedVersion, int draftVersion, Instant updatedAt) {}

    public record VersionInfo(int version, Instant createdAt, String createdBy, boolean published) {}

    private static final String SELECT = """
            SELECT f.id, f.name, f.description, f.published_version, f.updated_at,
                   (SELECT MAX(v.version) FROM ivr_flow_version v WHERE v.flow_id = f.id) AS draft_version
            FROM ivr_flow f WHERE f.enterprise_id = :e""";

    public static List<FlowInfo> list(Handle h, long enterpriseId) {
        return h.createQuery(SELECT + " ORDER BY f.name").bind("e", enterpriseId).map((rs, c) -> new FlowInfo(rs.getLong(1), rs.getString(2),
                rs.getString(3), rs.getObject(4, Integer.class), rs.getInt(6), rs.getTimestamp(5).toInstant())).list();
    }

    public static Optional<FlowInfo> byId(Handle h, long enterpriseId, long id) {
        return list(h, enterpriseId).stream().filter(f -> f.id() == id).findFirst();
    }

    public static Optional<FlowInfo> byName(Handle h, long enterpriseId, String name) {
        return list(h, enterpriseId).stream().filter(f -> f.name().equals(name)).findFirst();
    }

    public static long create(Handle h, long enterpriseId, String name, String description, String by, Instant now) {
        long id = h.createUpdate("INSERT INTO ivr_flow (enterprise_id, name, description, updated_at) VALUES (:e, :n, :d, :at)")
                .bind("e", enterpriseId).bind("n", name).bind("d", description).bind("at", Timestamp.from(now))
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        insertVersion(h, id, 1, Flow.Graph.empty(), by, now);
        return id;
    }

    static void insertVersion(Handle h, long flowId, int version, Flow.Graph g, String by, Instant now) {
        h.createUpdate("INSERT INTO ivr_flow_version (flow_id, version, graph, created_at, created_by) VALUES (:f, :v, :g, :at, :by)")
                .bind("f", flowId).bind("v", version).bind("g", toJson(g)).bind("at", Timestamp.from(now)).bind("by", by).execute();
    }

    public static Flow.Graph graph(Handle h, long flowId, int version) {
        return h.createQuery("SELECT graph FROM ivr_flow_version WHERE flow_id = :f AND version = :v").bind("f", flowId).bind("v", version)
                .mapTo(String.class).findOne().map(FlowStore::fromJson).orElseThrow();
    }

    /** Saves the draft: in place while it is unpublished, as a new version once the draft was published. */
    public static int saveDraft(Handle h, FlowInfo f, Flow.Graph g, String by, Instant now) {
        int version = f.draftVersion();
        if (f.publishedVersion() != null && f.publishedVersion() == version) {
            version++;
            insertVersion(h, f.id(), version, g, by, now);
        } else {
            h.createUpdate("UPDATE ivr_flow_version SET graph = :g, created_at = :at, created_by = :by WHERE flow_id = :f AND version = :v")
                    .bind("g", toJson(g)).bind("at", Timestamp.from(now)).bind("by", by).bind("f", f.id()).bind("v", version).execute();
        }
        touch(h, f.id(), now);
        return version;
    }

    public static void publish(Handle h, long flowId, int version, Instant now) {
        h.createUpdate("UPDATE ivr_flow SET published_version = :v, updated_at = :at WHERE id = :f")
                .bind("v", version).bind("at", Timestamp.from(now)).bind("f", flowId).execute();
    }

    static void touch(Handle h, long flowId, Instant now) {
        h.createUpdate("UPDATE ivr_flow SET updated_at = :at WHERE id = :f").bind("at", Timestamp.from(now)).bind("f", flowId).execute();
    }

    public static List<VersionInfo> versions(Handle h, FlowInfo f) {
        return h.createQuery("SELECT version, created_at, created_by FROM ivr_flow_version WHERE flow_id = :f ORDER BY version DESC")
                .bind("f", f.id()).map((rs, c) -> new VersionInfo(rs.getInt(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                        f.publishedVersion() != null && f.publishedVersion() == rs.getInt(1))).list();
    }

    public static void delete(Handle h, long enterpriseId, long id) {
        h.createUpdate("DELETE FROM ivr_flow_version WHERE flow_id = :id").bind("id", id).execute();
        h.createUpdate("DELETE FROM ivr_flow WHERE id = :id AND enterprise_id = :e").bind("id", id).bind("e", enterpriseId).execute();
    }

    /** The published graph of every flow of an enterprise, by name: what new calls run. */
    public static java.util.Map<String, Flow.Graph> published(Handle h, long enterpriseId) {
        java.util.Map<String, Flow.Graph> out = new java.util.HashMap<>();
        h.createQuery("""
                SELECT f.name, v.graph FROM ivr_flow f JOIN ivr_flow_version v ON v.flow_id = f.id AND v.version = f.published_version
                WHERE f.enterprise_id = :e""").bind("e", enterpriseId)
                .map((rs, c) -> java.util.Map.entry(rs.getString(1), rs.getString(2)))
                .forEach(en -> out.put(en.getKey(), fromJson(en.getValue())));
        return out;
    }

    static String toJson(Flow.Graph g) {
        try {
            return JsonMapper.MAPPER.writeValueAsString(g);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Flow.Graph fromJson(String s) {
        try {
            return JsonMapper.MAPPER.readValue(s, Flow.Graph.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored flow graph unreadable: " + e.getMessage(), e);
        }
    }
}
