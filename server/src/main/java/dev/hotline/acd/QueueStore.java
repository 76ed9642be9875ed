package dev.hotline.acd;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.hotline.domain.JsonMapper;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** SQL for queues, their members, skills and reason codes. */
public final class QueueStore {
    private QueueStore() {}

    public static List<Queue> list(Handle h, long enterpriseId) {
        return h.createQuery("SELECT * FROM acd_queue WHERE enterprise_id = :e ORDER BY name").bind("e", enterpriseId)
                .map((rs, ctx) -> new Queue(rs.getLong("id"), rs.getString("name"),
                        Queue.Strategy.parse(rs.getString("strategy")).orElse(Queue.Strategy.RING_ALL), rs.getString("description"),
                        settings(rs.getString("settings"))))
                .list();
    }

    static QueueSettings settings(String json) {
        if (json == null || json.isBlank()) return QueueSettings.DEFAULTS;
        try {
            return JsonMapper.MAPPER.readValue(json, QueueSettings.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable queue settings: " + e.getOriginalMessage(), e);
        }
    }

    static String json(QueueSettings s) {
        try {
            return JsonMapper.MAPPER.writeValueAsString(s == null ? QueueSettings.DEFAULTS : s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Optional<Queue> byId(Handle h, long enterpriseId, long id) {
        return list(h, enterpriseId).stream().filter(q -> q.id() == id).findFirst();
    }

    /** True when the enterprise has an extension of that number (a queue's overflow may go to it). */
    public static boolean extensionExists(Handle h, long enterpriseId, String number) {
        return h.createQuery("SELECT COUNT(*) FROM extension WHERE enterprise_id = :e AND number = :n")
                .bind("e", enterpriseId).bind("n", number).mapTo(Long.class).one() > 0;
    }

    public static Optional<Queue> byName(Handle h, long enterpriseId, String name) {
        return list(h, enterpriseId).stream().filter(q -> q.name().equals(name)).findFirst();
    }

    public static long insert(Handle h, long enterpriseId, String name, Queue.Strategy strategy, String description) {
        return insert(h, enterpriseId, name, strategy, description, QueueSettings.DEFAULTS);
    }

    public static long insert(Handle h, long enterpriseId, String name, Queue.Strategy strategy, String description, QueueSettings settings) {
        return h.createUpdate("INSERT INTO acd_queue (enterprise_id, name, strategy, description, settings) VALUES (:e, :n, :s, :d, :j)")
                .bind("e", enterpriseId).bind("n", name).bind("s", strategy.key()).bind("d", description).bind("j", json(settings))
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    public static void update(Handle h, long enterpriseId, long id, String name, Queue.Strategy strategy, String description,
                              QueueSettings settings) {
        h.createUpdate("UPDATE acd_queue SET name = :n, strategy = :s, description = :d, settings = :j WHERE id = :id AND enterprise_id = :e")
                .bind("n", name).bind("s", strategy.key()).bind("d", description).bind("j", json(settings)).bind("id", id)
                .bind("e", enterpriseId).execute();
    }

    public static void delete(Handle h, long enterpriseId, long id) {
        h.createUpdate("DELETE FROM acd_queue WHERE id = :id AND enterprise_id = :e").bind("id", id).bind("e", enterpriseId).execute();
    }

    // --- members (ACD-2)

    /** A member of a queue: a user (agent) with a penalty (0 first). */
    public record Member(long queueId, long userId, String username, String displayName, String jobNumber, int penalty) {}

    /** Members of every queue of the enterprise, in offer order (penalty, then when they were added). */
    public static List<Member> members(Handle h, long enterpriseId) {
        return h.createQuery("""
                SELECT m.queue_id, m.user_id, u.username, u.display_name, u.job_number, m.penalty
                FROM queue_member m JOIN acd_queue q ON q.id = m.queue_id JOIN app_user u ON u.id = m.user_id
                WHERE q.enterprise_id = :e ORDER BY m.queue_id, m.penalty, m.user_id""").bind("e", enterpriseId)
                .map((rs, c) -> new Member(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getInt(6)))
                .list();
    }

    public static void setMember(Handle h, long queueId, long userId, int penalty) {
        int n = h.createUpdate("UPDATE queue_member SET penalty = :p WHERE queue_id = :q AND user_id = :u")
                .bind("p", penalty).bind("q", queueId).bind("u", userId).execute();
        if (n == 0) {
            h.createUpdate("INSERT INTO queue_member (queue_id, user_id, penalty) VALUES (:q, :u, :p)")
                    .bind("p", penalty).bind("q", queueId).bind("u", userId).execute();
        }
    }

    public static boolean removeMember(Handle h, long queueId, long userId) {
        return h.createUpdate("DELETE FROM queue_member WHERE queue_id = :q AND user_id = :u").bind("q", queueId).bind("u", userId)
                .execute() > 0;
    }

    // --- skills (ACD-2)

    public record Skill(long id, String name) {}

    public static List<Skill> skills(Handle h, long enterpriseId) {
        return h.createQuery("SELECT id, name FROM skill WHERE enterprise_id = :e ORDER BY name").bind("e", enterpriseId)
                .map((rs, c) -> new Skill(rs.getLong(1), rs.getString(2))).list();
    }

    public static long insertSkill(Handle h, long enterpriseId, String name) {
        return h.createUpdate("INSERT INTO skill (enterprise_id, name) VALUES (:e, :n)").bind("e", enterpriseId).bind("n", name)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    public static boolean deleteSkill(Handle h, long enterpriseId, long id) {
        return h.createUpdate("DELETE FROM skill WHERE id = :id AND enterprise_id = :e").bind("id", id).bind("e", enterpriseId).execute() > 0;
    }

    /** An agent's level in a skill. */
    public record AgentSkill(long userId, String skill, int level) {}

    public static List<AgentSkill> agentSkills(Handle h, long enterpriseId) {
        return h.createQuery("""
                SELECT a.user_id, s.name, a.level FROM agent_skill a JOIN skill s ON s.id = a.skill_id
                WHERE s.enterprise_id = :e ORDER BY a.user_id, s.name""").bind("e", enterpriseId)
                .map((rs, c) -> new AgentSkill(rs.getLong(1), rs.getString(2), rs.getInt(3))).list();
    }

    /** Replaces the user's skills with {@code levels} (skill id → level). */
    public static void setAgentSkills(Handle h, long userId, Map<Long, Integer> levels) {
        h.createUpdate("DELETE FROM agent_skill WHERE user_id = :u").bind("u", userId).execute();
        for (var en : levels.entrySet()) {
            h.createUpdate("INSERT INTO agent_skill (user_id, skill_id, level) VALUES (:u, :s, :l)")
                    .bind("u", userId).bind("s", en.getKey()).bind("l", en.getValue()).execute();
        }
    }

    // --- reason codes (AGENT-1)

    public record ReasonCode(long id, String code, String name) {}

    public static final List<String[]> DEFAULT_REASONS = List.of(new String[] {"break", "小休 Break"}, new String[] {"meal", "用餐 Meal"},
            new String[] {"meeting", "会议 Meeting"}, new String[] {"training", "培训 Training"});

    public static List<ReasonCode> reasons(Handle h, long enterpriseId) {
        return h.createQuery("SELECT id, code, name FROM reason_code WHERE enterprise_id = :e ORDER BY id").bind("e", enterpriseId)
                .map((rs, c) -> new ReasonCode(rs.getLong(1), rs.getString(2), rs.getString(3))).list();
    }

    public static long insertReason(Handle h, long enterpriseId, String code, String name) {
        return h.createUpdate("INSERT INTO reason_code (enterprise_id, code, name) VALUES (:e, :c, :n)").bind("e", enterpriseId)
                .bind("c", code).bind("n", name).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    public static boolean deleteReason(Handle h, long enterpriseId, long id) {
        return h.createUpdate("DELETE FROM reason_code WHERE id = :id AND enterprise_id = :e").bind("id", id).bind("e", enterpriseId)
                .execute() > 0;
    }

    /** Gives a new enterprise the default reasons. */
    public static void seedReasons(Handle h, long enterpriseId) {
        for (String[] r : DEFAULT_REASONS) insertReason(h, enterpriseId, r[0], r[1]);
    }
}
