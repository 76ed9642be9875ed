package dev.hotline.acd;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Everything the dispatcher needs from the database, loaded in one go off its thread and handed
 * over whole (immutable): queues, members in offer order, skills, and who the agents are.
 */
record AcdConfig(Map<Long, Tenant> tenants) {
    static final AcdConfig EMPTY = new AcdConfig(Map.of());

    record UserInfo(long userId, String name, String jobNumber, String extension) {}

    /**
     * @param members   queue id → member user ids in offer order (penalty, then when added)
     * @param penalties queue id → (user id → penalty)
     * @param skills    user id → (skill → level)
     */
    record Tenant(Map<Long, Queue> queues, Map<Long, List<Long>> members, Map<Long, Map<Long, Integer>> penalties,
                  Map<Long, Map<String, Integer>> skills, Map<Long, UserInfo> users) {
        static final Tenant EMPTY = new Tenant(Map.of(), Map.of(), Map.of(), Map.of(), Map.of());

        Optional<Queue> queue(String name) {
            return queues.values().stream().filter(q -> q.name().equals(name)).findFirst();
        }

        String queueName(long id) {
            Queue q = queues.get(id);
            return q == null ? null : q.name();
        }

        Map<Long, String> queueNames() {
            Map<Long, String> m = new HashMap<>();
            queues.forEach((id, q) -> m.put(id, q.name()));
            return m;
        }
    }

    Tenant tenant(long enterpriseId) {
        return tenants.getOrDefault(enterpriseId, Tenant.EMPTY);
    }

    Optional<Queue> queue(long enterpriseId, String name) {
        return tenant(enterpriseId).queue(name);
    }

    static AcdConfig load(Handle h) {
        List<Long> enterprises = h.createQuery("SELECT id FROM enterprise WHERE enabled = TRUE").mapTo(Long.class).list();
        Map<Long, Tenant> out = new HashMap<>();
        for (long e : enterprises) {
            Map<Long, Queue> queues = new LinkedHashMap<>();
            for (Queue q : QueueStore.list(h, e)) queues.put(q.id(), q);
            Map<Long, List<Long>> members = new HashMap<>();
            Map<Long, Map<Long, Integer>> penalties = new HashMap<>();
            for (QueueStore.Member m : QueueStore.members(h, e)) {
                members.computeIfAbsent(m.queueId(), k -> new ArrayList<>()).add(m.userId());
                penalties.computeIfAbsent(m.queueId(), k -> new HashMap<>()).put(m.userId(), m.penalty());
            }
            Map<Long, Map<String, Integer>> skills = new HashMap<>();
            for (QueueStore.AgentSkill s : QueueStore.agentSkills(h, e)) {
                skills.computeIfAbsent(s.userId(), k -> new HashMap<>()).put(s.skill(), s.level());
            }
            Map<Long, UserInfo> users = new HashMap<>();
            h.createQuery("""
                    SELECT u.id, u.display_name, u.job_number, x.number FROM app_user u
                    LEFT JOIN extension x ON x.user_id = u.id AND x.enabled = TRUE
                    WHERE u.enterprise_id = :e AND u.enabled = TRUE""").bind("e", e)
                    .map((rs, c) -> new UserInfo(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)))
                    .forEach(u -> users.put(u.userId(), u));
            out.put(e, new Tenant(queues, members, penalties, skills, users));
        }
        return new AcdConfig(out);
    }
}
