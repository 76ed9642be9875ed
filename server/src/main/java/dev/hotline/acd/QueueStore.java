package dev.hotline.acd;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** SQL for queues. */
public final class QueueStore {
    private QueueStore() {}

    public static List<Queue> list(Handle h, long enterpriseId) {
        return h.createQuery("SELECT * FROM acd_queue WHERE enterprise_id = :e ORDER BY name").bind("e", enterpriseId)
                .map((rs, ctx) -> new Queue(rs.getLong("id"), rs.getString("name"),
                        Queue.Strategy.parse(rs.getString("strategy")).orElse(Queue.Strategy.RING_ALL), rs.getString("description")))
                .list();
    }

    public static Optional<Queue> byId(Handle h, long enterpriseId, long id) {
        return list(h, enterpriseId).stream().filter(q -> q.id() == id).findFirst();
    }

    public static long insert(Handle h, long enterpriseId, String name, Queue.Strategy strategy, String description) {
        return h.createUpdate("INSERT INTO acd_queue (enterprise_id, name, strategy, description) VALUES (:e, :n, :s, :d)")
                .bind("e", enterpriseId).bind("n", name).bind("s", strategy.key()).bind("d", description)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    public static void update(Handle h, long enterpriseId, long id, String name, Queue.Strategy strategy, String description) {
        h.createUpdate("UPDATE acd_queue SET name = :n, strategy = :s, description = :d WHERE id = :id AND enterprise_id = :e")
                .bind("n", name).bind("s", strategy.key()).bind("d", description).bind("id", id).bind("e", enterpriseId).execute();
    }

    public static void delete(Handle h, long enterpriseId, long id) {
        h.createUpdate("DELETE FROM acd_queue WHERE id = :id AND enterprise_id = :e").bind("id", id).bind("e", enterpriseId).execute();
    }
}
