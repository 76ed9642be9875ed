package dev.hotline.routing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Ring groups (PBX-3) in the database: {@code ring_group} and its ordered {@code ring_group_member} rows. */
public final class RingGroupStore {
    private RingGroupStore() {}

    /** The enterprise's ring groups by name, members in ringing order. */
    public static List<RingGroup> list(Handle h, long enterpriseId) {
        record Row(long id, String name, String number, String strategy, int ringSeconds, String failType, String failValue) {}
        List<Row> rows = h.createQuery("""
                SELECT id, name, number, strategy, ring_seconds, fail_type, fail_value FROM ring_group
                WHERE enterprise_id = :e ORDER BY name""")
                .bind("e", enterpriseId)
                .map((rs, c) -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5), rs.getString(6),
                        rs.getString(7)))
                .list();
        Map<Long, List<String>> members = new LinkedHashMap<>();
        h.createQuery("""
                SELECT m.ring_group_id, m.extension FROM ring_group_member m JOIN ring_group g ON g.id = m.ring_group_id
                WHERE g.enterprise_id = :e ORDER BY m.ring_group_id, m.position""")
                .bind("e", enterpriseId)
                .map((rs, c) -> Map.entry(rs.getLong(1), rs.getString(2)))
                .forEach(en -> members.computeIfAbsent(en.getKey(), k -> new ArrayList<>()).add(en.getValue()));
        return rows.stream().map(r -> new RingGroup(r.id(), r.name(), r.number(), r.strategy(), r.ringSeconds(),
                members.getOrDefault(r.id(), List.of()), new RingGroup.Fail(r.failType(), r.failValue()))).toList();
    }

    public static Optional<RingGroup> byId(Handle h, long enterpriseId, long id) {
        return list(h, enterpriseId).stream().filter(g -> g.id() == id).findFirst();
    }

    public static Optional<RingGroup> byName(Handle h, long enterpriseId, String name) {
        return list(h, enterpriseId).stream().filter(g -> g.name().equals(name)).findFirst();
    }

    public static Optional<RingGroup> byNumber(Handle h, long enterpriseId, String number) {
        return list(h, enterpriseId).stream().filter(g -> number != null && number.equals(g.number())).findFirst();
    }

    public static long insert(Handle h, long enterpriseId, RingGroup g) {
        long id = h.createUpdate("""
                INSERT INTO ring_group (enterprise_id, name, number, strategy, ring_seconds, fail_type, fail_value)
                VALUES (:e, :name, :number, :strategy, :ring, :ft, :fv)""")
                .bind("e", enterpriseId).bind("name", g.name()).bind("number", g.number()).bind("strategy", g.strategy())
                .bind("ring", g.ringSeconds()).bind("ft", g.fail().type()).bind("fv", g.fail().value())
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        members(h, id, g.members());
        return id;
    }

    public static void update(Handle h, long enterpriseId, long id, RingGroup g) {
        h.createUpdate("""
                UPDATE ring_group SET name = :name, number = :number, strategy = :strategy, ring_seconds = :ring, fail_type = :ft,
                fail_value = :fv WHERE id = :id AND enterprise_id = :e""")
                .bind("e", enterpriseId).bind("id", id).bind("name", g.name()).bind("number", g.number()).bind("strategy", g.strategy())
                .bind("ring", g.ringSeconds()).bind("ft", g.fail().type()).bind("fv", g.fail().value()).execute();
        h.createUpdate("DELETE FROM ring_group_member WHERE ring_group_id = :id").bind("id", id).execute();
        members(h, id, g.members());
    }

    public static void delete(Handle h, long enterpriseId, long id) {
        h.createUpdate("DELETE FROM ring_group_member WHERE ring_group_id = :id AND ring_group_id IN "
                + "(SELECT id FROM ring_group WHERE enterprise_id = :e)").bind("id", id).bind("e", enterpriseId).execute();
        h.createUpdate("DELETE FROM ring_group WHERE id = :id AND enterprise_id = :e").bind("id", id).bind("e", enterpriseId).execute();
    }

    private static void members(Handle h, long id, List<String> members) {
        for (int i = 0; i < members.size(); i++) {
            h.createUpdate("INSERT INTO ring_group_member (ring_group_id, position, extension) VALUES (:g, :p, :x)")
                    .bind("g", id).bind("p", i).bind("x", members.get(i)).execute();
        }
    }
}
