package dev.hotline.report;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The roll-up of agents' time in each state (V27): every state an agent left, from its change to the next, is added per
 * 15-minute slot to {@code agent_time_stat}, per UTC hour to {@code agent_time_hour} (V31) and per local day of the report zone to {@code agent_time_day}; the state
 * each agent is in now is {@code agent_state_now}. {@link ReportProjection} keeps them with each change, in the event's
 * transaction; this class splits an interval into slots and builds the tables from {@code agent_event} when they are not
 * built yet or were built in another zone.
 */
final class AgentStateRollup {
    private static final Logger log = LoggerFactory.getLogger(AgentStateRollup.class);

    private AgentStateRollup() {}

    /** Receives the milliseconds of an interval that fall in one slot. */
    @FunctionalInterface
    interface SlotTime {
        void add(long slot, long ms);
    }

    /** [from, to) cut at 15-minute slot boundaries (nothing when {@code to} is not after {@code from}). */
    static void split(Instant from, Instant to, SlotTime out) {
        Instant a = from;
        while (a.isBefore(to)) {
            long slot = ReportProjection.slot(a);
            Instant slotEnd = Instant.ofEpochSecond((slot + 1) * ReportProjection.SLOT_SECONDS);
            Instant cut = slotEnd.isBefore(to) ? slotEnd : to;
            long ms = cut.toEpochMilli() - a.toEpochMilli();
            if (ms > 0) out.add(slot, ms);
            a = cut;
        }
    }

    /** The UTC hour (hours since the epoch) of a 15-minute slot: the row of agent_time_hour it adds to. */
    static long hour(long slot) {
        return Math.floorDiv(slot * ReportProjection.SLOT_SECONDS, 3600);
    }

    /** Whether a state counts as time in the reports (signed out does not). */
    static boolean counted(String state) {
        return state != null && !state.equals("logged_out");
    }

    static String reasonKey(String reason) {
        return reason == null ? "" : reason.length() <= 64 ? reason : reason.substring(0, 64);
    }

    /**
     * Builds the four tables again from agent_event when agent_time_zone does not hold {@code zone} (first start with V27,
     * or the report zone changed); returns whether it did. One transaction: a reader sees the old tables or the new ones.
     */
    static boolean rebuildIfZoneChanged(Jdbi jdbi, ZoneId zone) {
        return jdbi.inTransaction(h -> {
            Optional<String> kept = h.createQuery("SELECT zone_id FROM agent_time_zone").mapTo(String.class).findFirst();
            if (kept.isPresent() && kept.get().equals(zone.getId())) return false;
            long t0 = System.nanoTime();
            long events = rebuild(h, zone);
            h.createUpdate("DELETE FROM agent_time_zone").execute();
            h.createUpdate("INSERT INTO agent_time_zone (zone_id) VALUES (:z)").bind("z", zone.getId()).execute();
            log.info("agent state roll-up built from {} state change(s) in {} ms (zone {})", events, (System.nanoTime() - t0) / 1_000_000, zone);
            return true;
        });
    }

    private record Change(long enterpriseId, long userId, Instant at, String state, String reason) {}

    private record Key(long slot, String state, String reason) {}

    /** Walks agent_event agent by agent in the order the changes were logged, one agent's rows written at a time. */
    private static long rebuild(Handle h, ZoneId zone) {
        for (String t : new String[] {"agent_time_stat", "agent_time_hour", "agent_time_day", "agent_state_now"}) {
            h.createUpdate("DELETE FROM " + t).execute();
        }
        long n = 0;
        try (var changes = h.createQuery("SELECT enterprise_id, user_id, at, state, reason FROM agent_event ORDER BY user_id, id")
                .setFetchSize(10_000)
                .map((rs, c) -> new Change(rs.getLong(1), rs.getLong(2), rs.getTimestamp(3).toInstant(), rs.getString(4), rs.getString(5)))
                .iterator()) {
            Iterator<Change> it = changes;
            Change open = null;
            Map<Key, Long> slots = new HashMap<>();
            Map<Key, Long> hours = new HashMap<>();
            Map<Key, Long> days = new HashMap<>();
            while (it.hasNext()) {
                Change c = it.next();
                n++;
                if (open != null && open.userId() != c.userId()) {
                    write(h, open, slots, hours, days);
                    open = null;
                }
                if (open != null && counted(open.state())) {
                    Change was = open;
                    split(was.at(), c.at(), (slot, ms) -> {
                        slots.merge(new Key(slot, was.state(), reasonKey(was.reason())), ms, Long::sum);
                        hours.merge(new Key(hour(slot), was.state(), reasonKey(was.reason())), ms, Long::sum);
                        long day = Instant.ofEpochSecond(slot * ReportProjection.SLOT_SECONDS).atZone(zone).toLocalDate().toEpochDay();
                        days.merge(new Key(day, was.state(), reasonKey(was.reason())), ms, Long::sum);
                    });
                }
                open = c;
            }
            if (open != null) write(h, open, slots, hours, days);
        }
        return n;
    }

    /** One agent's rows: their time per slot, hour and day, and the state they are in now; the maps are emptied. */
    private static void write(Handle h, Change now, Map<Key, Long> slots, Map<Key, Long> hours, Map<Key, Long> days) {
        for (var table : new String[] {"agent_time_stat", "agent_time_hour", "agent_time_day"}) {
            Map<Key, Long> rows = switch (table) {
                case "agent_time_stat" -> slots;
                case "agent_time_hour" -> hours;
                default -> days;
            };
            if (rows.isEmpty()) continue;
            PreparedBatch b = h.prepareBatch("INSERT INTO " + table + " (enterprise_id, slot, agent_user_id, state, reason, ms)"
                    + " VALUES (:e, :slot, :u, :state, :reason, :ms)");
            rows.forEach((k, ms) -> b.bind("e", now.enterpriseId()).bind("slot", k.slot()).bind("u", now.userId()).bind("state", k.state())
                    .bind("reason", k.reason()).bind("ms", ms).add());
            b.execute();
            rows.clear();
        }
        h.createUpdate("INSERT INTO agent_state_now (user_id, enterprise_id, at, state, reason) VALUES (:u, :e, :at, :state, :reason)")
                .bind("u", now.userId()).bind("e", now.enterpriseId()).bind("at", Timestamp.from(now.at())).bind("state", now.state())
                .bind("reason", now.reason()).execute();
    }
}
