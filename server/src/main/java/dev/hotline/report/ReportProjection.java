package dev.hotline.report;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Keeps the report tables {@code queue_visit} and {@code queue_offer} from the event log (RPT-2, RPT-3): each call's
 * events go through its {@link QueueVisits} fold and the visits and offers they change are written in the same
 * transaction as the events. Agent state changes add the wrap-up of an answered visit. Used by the event log's one
 * writer thread only.
 */
final class ReportProjection {
    /** Report buckets are built of 15-minute slots: every time zone's offset is a multiple of 15 minutes. */
    static final long SLOT_SECONDS = 900;

    /** Open calls' folds; the least recently used are forgotten (a call that never closes, late events of closed calls). */
    private final Map<String, QueueVisits> calls = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, QueueVisits> eldest) {
            return size() > 100_000;
        }
    };
    /** The queues' report targets, read at most every few seconds per enterprise. */
    private final QueueTargets.Source targets;

    /** The zone of the day roll-ups (queue_day, agent_day, call_day). */
    private final java.time.ZoneId zone;

    ReportProjection(QueueTargets.Source source, java.time.ZoneId zone) {
        this.targets = cached(source);
        this.zone = zone;
    }

    /** {@code source} read again at most every 5 s per enterprise: a change of a queue's targets applies to results known after it. */
    static QueueTargets.Source cached(QueueTargets.Source source) {
        Map<Long, Map.Entry<Long, Map<String, QueueTargets>>> cache = new java.util.HashMap<>();
        return (h, enterpriseId) -> {
            var hit = cache.get(enterpriseId);
            long now = System.nanoTime();
            if (hit != null && now - hit.getKey() < 5_000_000_000L) return hit.getValue();
            Map<String, QueueTargets> m = source.of(h, enterpriseId);
            cache.put(enterpriseId, Map.entry(now, m));
            return m;
        };
    }

    QueueTargets.Source targets() {
        return targets;
    }

    /** Agent → (call, since) of the wrap-up they are in. */
    private final Map<Long, AgentLogEvent> wrapping = new java.util.HashMap<>();

    static long slot(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), SLOT_SECONDS);
    }

    void apply(Handle h, CallLogEvent e) {
        if (e instanceof CallLogEvent.Surveyed s) SurveyRollup.add(this, h, s);
        if (!(e instanceof CallLogEvent.Arrived) && !calls.containsKey(e.callId()) && !relevant(e)) return;
        QueueVisits fold = calls.computeIfAbsent(e.callId(), k -> new QueueVisits());
        fold.apply(e);
        write(h, fold);
        if (e instanceof CallLogEvent.Closed) closed.add(e.callId());
    }

    /** Calls closed in the batch being written: forgotten once it commits (a rolled back batch writes them again). */
    private final List<String> closed = new java.util.ArrayList<>();

    /** The batch committed. */
    void committed() {
        closed.forEach(calls::remove);
        closed.clear();
    }

    /** The transaction that wrote these events rolled back: their calls' rows are written again with the next event. */
    void rolledBack(java.util.List<LogEvent> batch) {
        closed.clear();
        pending.clear();
        for (LogEvent e : batch) {
            if (e instanceof CallLogEvent c && calls.containsKey(c.callId())) calls.get(c.callId()).markAllChanged();
        }
    }

    private static boolean relevant(CallLogEvent e) {
        return e instanceof CallLogEvent.QueueJoined || e instanceof CallLogEvent.QueueOffered || e instanceof CallLogEvent.QueueOfferEnded;
    }

    /** Writes what {@code fold} changed. */
    void write(Handle h, QueueVisits fold) {
        for (QueueVisits.Visit v : fold.changedVisits()) upsert(h, v);
        for (QueueVisits.Offer o : fold.changedOffers()) upsert(h, o);
    }

    void apply(Handle h, AgentLogEvent a) {
        stateChanged(h, a);
        if ("wrap_up".equals(a.state()) && a.callId() != null) {
            wrapping.put(a.userId(), a);
        } else if ("wrap_up".equals(a.previous())) {
            AgentLogEvent since = wrapping.remove(a.userId());
            if (since == null) {
                since = h.createQuery("""
                                SELECT at, call_id FROM agent_event WHERE user_id = :u AND state = 'wrap_up' AND at <= :at
                                ORDER BY id DESC LIMIT 1""").bind("u", a.userId()).bind("at", Timestamp.from(a.at()))
                        .map((rs, c) -> new AgentLogEvent(a.enterpriseId(), a.userId(), rs.getTimestamp(1).toInstant(), "wrap_up", null,
                                null, null, rs.getString(2), null)).findOne().orElse(null);
            }
            if (since == null || since.callId() == null) return;
            long ms = Math.max(0, Duration.between(since.at(), a.at()).toMillis());
            if (ms == 0) return;
            var visits = h.createQuery("""
                            SELECT seq, queue, slot FROM queue_visit WHERE call_id = :c AND agent_user_id = :u AND result = 'answered'
                            ORDER BY seq DESC LIMIT 1""").bind("c", since.callId()).bind("u", a.userId())
                    .map((rs, c) -> new Object[] {rs.getInt(1), rs.getString(2), rs.getLong(3)}).findOne();
            if (visits.isEmpty()) return;
            Object[] v = visits.get();
            h.createUpdate("UPDATE queue_visit SET wrap_ms = wrap_ms + :ms WHERE call_id = :c AND seq = :seq")
                    .bind("ms", ms).bind("c", since.callId()).bind("seq", v[0]).execute();
            long[] dq = new long[QUEUE_COLS.length];
            dq[13] = ms;
            add(h, "queue_stat", List.of("enterprise_id", "slot", "queue"), List.of(a.enterpriseId(), v[2], v[1]), QUEUE_COLS, dq, -1);
            long[] da = new long[AGENT_COLS.length];
            da[6] = ms;
            add(h, "agent_stat", List.of("enterprise_id", "slot", "agent_user_id", "queue"), List.of(a.enterpriseId(), v[2], a.userId(), v[1]),
                    AGENT_COLS, da, -1);
        }
    }

    /**
     * An agent's change closes the state they were in (agent_state_now): its time, from that change to this one, is added to
     * agent_time_stat per 15-minute slot, to agent_time_hour per UTC hour and to agent_time_day per local day of the report zone; this change is the state
     * they are in now.
     */
    private void stateChanged(Handle h, AgentLogEvent a) {
        var open = h.createQuery("SELECT at, state, reason FROM agent_state_now WHERE user_id = :u").bind("u", a.userId())
                .map((rs, c) -> new AgentLogEvent(a.enterpriseId(), a.userId(), rs.getTimestamp(1).toInstant(), rs.getString(2), null,
                        rs.getString(3), null, null, null)).findOne();
        if (open.isPresent() && AgentStateRollup.counted(open.get().state())) {
            AgentLogEvent was = open.get();
            String reason = AgentStateRollup.reasonKey(was.reason());
            Map<Long, Long> slots = new LinkedHashMap<>();
            Map<Long, Long> hours = new LinkedHashMap<>();
            Map<Long, Long> days = new LinkedHashMap<>();
            AgentStateRollup.split(was.at(), a.at(), (slot, ms) -> {
                slots.merge(slot, ms, Long::sum);
                hours.merge(AgentStateRollup.hour(slot), ms, Long::sum);
                days.merge(day(slot), ms, Long::sum);
            });
            addTime(h, "agent_time_stat", a.enterpriseId(), a.userId(), was.state(), reason, slots);
            addTime(h, "agent_time_hour", a.enterpriseId(), a.userId(), was.state(), reason, hours);
            addTime(h, "agent_time_day", a.enterpriseId(), a.userId(), was.state(), reason, days);
        }
        int updated = h.createUpdate("UPDATE agent_state_now SET enterprise_id = :e, at = :at, state = :state, reason = :reason WHERE user_id = :u")
                .bind("e", a.enterpriseId()).bind("at", Timestamp.from(a.at())).bind("state", a.state()).bind("reason", a.reason())
                .bind("u", a.userId()).execute();
        if (updated == 0) {
            h.createUpdate("INSERT INTO agent_state_now (user_id, enterprise_id, at, state, reason) VALUES (:u, :e, :at, :state, :reason)")
                    .bind("e", a.enterpriseId()).bind("at", Timestamp.from(a.at())).bind("state", a.state()).bind("reason", a.reason())
                    .bind("u", a.userId()).execute();
        }
    }

    /**
     * Adds time to an agent's rows of a roll-up, one row per slot (or day): the updates in one batch, then in one batch the
     * rows none of them found (a long state spans many slots: a round trip each would hold the event log's writer up).
     */
    private static void addTime(Handle h, String table, long enterpriseId, long userId, String state, String reason, Map<Long, Long> ms) {
        if (ms.isEmpty()) return;
        PreparedBatch update = h.prepareBatch("UPDATE " + table + " SET ms = ms + :ms WHERE enterprise_id = :e AND slot = :slot"
                + " AND agent_user_id = :u AND state = :state AND reason = :reason");
        List<Map.Entry<Long, Long>> rows = List.copyOf(ms.entrySet());
        for (var r : rows) {
            update.bind("ms", r.getValue()).bind("e", enterpriseId).bind("slot", r.getKey()).bind("u", userId).bind("state", state)
                    .bind("reason", reason).add();
        }
        int[] found = update.execute();
        PreparedBatch insert = h.prepareBatch("INSERT INTO " + table + " (enterprise_id, slot, agent_user_id, state, reason, ms)"
                + " VALUES (:e, :slot, :u, :state, :reason, :ms)");
        boolean any = false;
        for (int i = 0; i < rows.size(); i++) {
            if (found[i] != 0) continue; // updated (a driver that cannot tell says SUCCESS_NO_INFO: never the case for these two)
            var r = rows.get(i);
            insert.bind("ms", r.getValue()).bind("e", enterpriseId).bind("slot", r.getKey()).bind("u", userId).bind("state", state)
                    .bind("reason", reason).add();
            any = true;
        }
        if (any) insert.execute();
    }

    /** A visit's row as stored: what its contribution to the roll-ups was. */
    private record Stored(String queue, long slot, String result, String reason, long waitMs, Long agent, long talkMs, long holdMs,
                          long wrapMs, long transfers, boolean inTarget, boolean shortAbandon) {}

    /** The queue_stat columns a visit adds, in {@link #QUEUE_COLS} order (offered first). */
    private static final String[] QUEUE_COLS = {"offered", "answered", "answered_in_target", "abandoned", "short_abandoned",
            "abandoned_ringing", "overflowed", "voicemail", "callback", "answer_wait_ms", "abandon_wait_ms", "talk_ms", "hold_ms", "wrap_ms",
            "transfers"};
    private static final String[] AGENT_COLS = {"offered", "answered", "missed", "transfers", "talk_ms", "hold_ms", "wrap_ms"};

    private static long[] queueValues(Stored s) {
        if (s == null) return new long[QUEUE_COLS.length];
        String r = s.result() == null ? "" : s.result();
        boolean ans = r.equals("answered");
        boolean ab = r.equals("abandoned");
        return new long[] {1, ans ? 1 : 0, s.inTarget() ? 1 : 0, ab ? 1 : 0, s.shortAbandon() ? 1 : 0, ab && "ringing".equals(s.reason()) ? 1 : 0,
                r.equals("overflow") ? 1 : 0, r.equals("voicemail") ? 1 : 0, r.equals("callback") ? 1 : 0, ans ? s.waitMs() : 0,
                ab ? s.waitMs() : 0, s.talkMs(), s.holdMs(), s.wrapMs(), s.transfers()};
    }

    /** Upper bounds (seconds, exclusive) of the caller tolerance's wait buckets; the last bucket is open. */
    static final int[] TOLERANCE_BOUNDS = {5, 10, 20, 30, 60, 120};
    private static final String[] TOLERANCE_COLS = {"a0", "a1", "a2", "a3", "a4", "a5", "a6", "x0", "x1", "x2", "x3", "x4", "x5", "x6"};

    /** The wait bucket (0..6) of a wait. */
    static int toleranceBucket(long waitMs) {
        for (int i = 0; i < TOLERANCE_BOUNDS.length; i++) if (waitMs < TOLERANCE_BOUNDS[i] * 1000L) return i;
        return TOLERANCE_BOUNDS.length;
    }

    /** A visit's caller tolerance: one answered (a*) or abandoned (x*) call in the bucket of its wait. */
    private static long[] toleranceValues(Stored s) {
        long[] v = new long[TOLERANCE_COLS.length];
        if (s == null || s.result() == null) return v;
        int b = toleranceBucket(s.waitMs());
        if (s.result().equals("answered")) v[b] = 1;
        else if (s.result().equals("abandoned")) v[7 + b] = 1;
        return v;
    }

    private static long[] handleValues(Stored s) {
        return s == null || s.agent() == null || !"answered".equals(s.result()) ? new long[AGENT_COLS.length]
                : new long[] {0, 0, 0, s.transfers(), s.talkMs(), s.holdMs(), s.wrapMs()};
    }

    private static Stored stored(Handle h, String callId, int seq) {
        return h.createQuery("""
                        SELECT queue, slot, result, reason, wait_ms, agent_user_id, talk_ms, hold_ms, wrap_ms, transfers, in_target, short_abandon
                        FROM queue_visit WHERE call_id = :c AND seq = :seq""").bind("c", callId).bind("seq", seq)
                .map((rs, c) -> new Stored(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                        rs.getObject(6, Long.class), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10), rs.getBoolean(11),
                        rs.getBoolean(12)))
                .findOne().orElse(null);
    }

    /** Writes a visit and adds the difference it makes to queue_stat and agent_stat. */
    void upsert(Handle h, QueueVisits.Visit v) {
        Stored old = stored(h, v.callId(), v.seq());
        boolean inTarget;
        boolean shortAbandon;
        if (old != null && old.result() != null && old.result().equals(v.result())) {
            // The result was judged against the queue's targets when it was known; later changes of the targets do not rewrite it.
            inTarget = old.inTarget();
            shortAbandon = old.shortAbandon();
        } else {
            QueueTargets t = v.result() == null ? QueueTargets.DEFAULT
                    : targets.of(h, v.enterpriseId()).getOrDefault(v.queue(), QueueTargets.DEFAULT);
            long wait = v.waitMs() == null ? 0 : v.waitMs();
            inTarget = "answered".equals(v.result()) && wait <= t.serviceLevelSeconds() * 1000L;
            shortAbandon = "abandoned".equals(v.result()) && wait <= t.shortAbandonSeconds() * 1000L;
        }
        Stored now = new Stored(cut(v.queue()), slot(v.joinedAt()), v.result(), v.reason(), v.waitMs() == null ? 0 : v.waitMs(),
                v.agentUserId(), v.talkMs(), v.holdMs(), old == null ? 0 : old.wrapMs(), v.transfers(), inTarget, shortAbandon);
        if (old != null) {
            h.createUpdate("""
                            UPDATE queue_visit SET result = :result, reason = :reason, ended_at = :ended, wait_ms = :wait, agent_user_id = :agent,
                                talk_ms = :talk, hold_ms = :hold, transfers = :transfers, in_target = :it, short_abandon = :sa
                            WHERE call_id = :c AND seq = :seq""")
                    .bind("result", v.result()).bind("reason", v.reason()).bind("ended", ts(v.endedAt())).bind("wait", v.waitMs())
                    .bind("agent", v.agentUserId()).bind("talk", v.talkMs()).bind("hold", v.holdMs()).bind("transfers", v.transfers())
                    .bind("it", inTarget).bind("sa", shortAbandon).bind("c", v.callId()).bind("seq", v.seq()).execute();
        } else {
            h.createUpdate("""
                            INSERT INTO queue_visit (enterprise_id, call_id, seq, queue, joined_at, slot, result, reason, ended_at, wait_ms,
                                agent_user_id, talk_ms, hold_ms, transfers, in_target, short_abandon)
                            VALUES (:e, :c, :seq, :queue, :joined, :slot, :result, :reason, :ended, :wait, :agent, :talk, :hold, :transfers, :it, :sa)""")
                    .bind("e", v.enterpriseId()).bind("c", v.callId()).bind("seq", v.seq()).bind("queue", now.queue())
                    .bind("joined", ts(v.joinedAt())).bind("slot", now.slot()).bind("result", v.result()).bind("reason", v.reason())
                    .bind("ended", ts(v.endedAt())).bind("wait", v.waitMs()).bind("agent", v.agentUserId()).bind("talk", v.talkMs())
                    .bind("hold", v.holdMs()).bind("transfers", v.transfers()).bind("it", inTarget).bind("sa", shortAbandon).execute();
        }
        changed(h, v.enterpriseId(), old, now);
    }

    /** Adds the difference between a visit's old and new contribution to the roll-ups. */
    private void changed(Handle h, long enterpriseId, Stored old, Stored now) {
        long[] before = queueValues(old);
        long[] after = queueValues(now);
        long[] d = new long[after.length];
        for (int i = 0; i < d.length; i++) d[i] = after[i] - before[i];
        long longest = now.result() == null ? 0 : now.waitMs();
        if (old != null && !old.queue().equals(now.queue())) throw new IllegalStateException("a visit does not change queue");
        add(h, "queue_stat", List.of("enterprise_id", "slot", "queue"), List.of(enterpriseId, now.slot(), now.queue()), QUEUE_COLS, d, longest);
        long[] td = toleranceValues(now);
        long[] tb = toleranceValues(old);
        boolean tolerance = false;
        for (int i = 0; i < td.length; i++) {
            td[i] -= tb[i];
            tolerance |= td[i] != 0;
        }
        if (tolerance) {
            add(h, "tolerance_stat", List.of("enterprise_id", "slot", "queue"), List.of(enterpriseId, now.slot(), now.queue()), TOLERANCE_COLS,
                    td, -1);
        }
        long[] hb = handleValues(old);
        long[] ha = handleValues(now);
        if (old != null && old.agent() != null && !old.agent().equals(now.agent())) {
            for (int i = 0; i < hb.length; i++) hb[i] = -hb[i];
            add(h, "agent_stat", List.of("enterprise_id", "slot", "agent_user_id", "queue"), List.of(enterpriseId, old.slot(), old.agent(), old.queue()),
                    AGENT_COLS, hb, -1);
            hb = new long[hb.length];
        }
        if (now.agent() != null) {
            long[] hd = new long[ha.length];
            boolean any = false;
            for (int i = 0; i < hd.length; i++) {
                hd[i] = ha[i] - hb[i];
                any |= hd[i] != 0;
            }
            if (any) {
                add(h, "agent_stat", List.of("enterprise_id", "slot", "agent_user_id", "queue"),
                        List.of(enterpriseId, now.slot(), now.agent(), now.queue()), AGENT_COLS, hd, -1);
            }
        }
    }

    /** A roll-up row: its table, key columns and values, and the counter columns a difference is added to. */
    private record Row(String table, List<String> keys, List<Object> key, List<String> cols, boolean longest) {}

    /** The difference of the batch being written to one roll-up row. */
    private static final class Pending {
        final long[] delta;
        long longest = -1;

        Pending(int n) {
            delta = new long[n];
        }
    }

    /**
     * The roll-up differences of the batch being written, a row each, written by {@link #flush} at the end of the batch: at
     * a thousand calls a second most of a batch's calls add to the same few rows (this slot, this day), so a batch costs a
     * statement per row instead of one per call and row.
     */
    private final Map<Row, Pending> pending = new LinkedHashMap<>();

    /** An hour table (V76) of a 15-minute roll-up, and the key column it adds up over (null: none). */
    private record HourTable(String table, String summedOver) {}

    /** The roll-ups with an hour table, by their 15-minute table; agent_hour holds an agent's figures of all queues, as agent_time_hour does. */
    private static final Map<String, HourTable> HOUR_TABLES = Map.of(
            "queue_stat", new HourTable("queue_hour", null),
            "agent_stat", new HourTable("agent_hour", "queue"),
            "call_stat", new HourTable("call_hour", null));

    /**
     * Adds {@code delta} to the roll-up row with that key, to its day row (the slot's local day in the report zone) and,
     * for the tables of {@link #HOUR_TABLES}, to its UTC hour row, creating them (zeros) first if needed, when the batch is
     * {@linkplain #flush flushed}; {@code longest} ≥ 0 raises the longest wait.
     */
    void add(Handle h, String table, List<String> keys, List<Object> key, String[] cols, long[] delta, long longest) {
        List<String> c = List.of(cols);
        addPending(new Row(table, keys, key, c, longest >= 0), delta, longest);
        long slot = ((Number) key.get(1)).longValue();
        List<Object> dayKey = new java.util.ArrayList<>(key);
        dayKey.set(1, day(slot));
        addPending(new Row(table.replace("_stat", "_day"), keys, List.copyOf(dayKey), c, longest >= 0), delta, longest);
        var hour = HOUR_TABLES.get(table);
        if (hour != null) {
            List<String> hourKeys = new java.util.ArrayList<>(keys);
            List<Object> hourKey = new java.util.ArrayList<>(key);
            hourKey.set(1, AgentStateRollup.hour(slot));
            int dropped = hour.summedOver() == null ? -1 : hourKeys.indexOf(hour.summedOver());
            if (dropped >= 0) {
                hourKeys.remove(dropped);
                hourKey.remove(dropped);
            }
            addPending(new Row(hour.table(), List.copyOf(hourKeys), List.copyOf(hourKey), c, longest >= 0), delta, longest);
        }
    }

    private void addPending(Row row, long[] delta, long longest) {
        Pending p = pending.computeIfAbsent(row, r -> new Pending(delta.length));
        for (int i = 0; i < delta.length; i++) p.delta[i] += delta[i];
        p.longest = Math.max(p.longest, longest);
    }

    /** The local day (days since 1970-01-01) in the report zone of a 15-minute slot (a slot never straddles two days). */
    long day(long slot) {
        return Instant.ofEpochSecond(slot * SLOT_SECONDS).atZone(zone).toLocalDate().toEpochDay();
    }

    /**
     * Writes the batch's roll-up differences (in its transaction, after its events): per table and shape the updates in one
     * JDBC batch, then in one batch the rows none of them found.
     */
    void flush(Handle h) {
        if (pending.isEmpty()) return;
        Map<Row, List<Map.Entry<Row, Pending>>> byShape = new LinkedHashMap<>();
        for (var e : pending.entrySet()) {
            Row r = e.getKey();
            byShape.computeIfAbsent(new Row(r.table(), r.keys(), List.of(), r.cols(), r.longest()), k -> new java.util.ArrayList<>()).add(e);
        }
        pending.clear();
        byShape.forEach((shape, rows) -> flush(h, shape, rows));
    }

    /** A roll-up shape's two statements: add the batch's differences to existing rows, insert the rows not there yet. */
    private record ShapeSql(String update, String insert) {}

    /** The statements of each shape seen (a handful of tables and column lists): built once, not for every batch. */
    private static final Map<Row, ShapeSql> SHAPE_SQL = new java.util.concurrent.ConcurrentHashMap<>();

    private static ShapeSql sqlOf(Row shape) {
        List<String> keys = shape.keys();
        List<String> cols = shape.cols();
        StringBuilder set = new StringBuilder();
        for (int i = 0; i < cols.size(); i++) set.append(i == 0 ? "" : ", ").append(cols.get(i)).append(" = ").append(cols.get(i)).append(" + :d").append(i);
        if (shape.longest()) set.append(", longest_wait_ms = GREATEST(longest_wait_ms, :longest)");
        StringBuilder where = new StringBuilder();
        for (int i = 0; i < keys.size(); i++) where.append(i == 0 ? "" : " AND ").append(keys.get(i)).append(" = :k").append(i);
        StringBuilder names = new StringBuilder(String.join(", ", keys));
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < keys.size(); i++) values.append(i == 0 ? "" : ", ").append(":k").append(i);
        for (int i = 0; i < cols.size(); i++) {
            names.append(", ").append(cols.get(i));
            values.append(", :d").append(i);
        }
        if (shape.longest()) {
            names.append(", longest_wait_ms");
            values.append(", :longest");
        }
        return new ShapeSql("UPDATE " + shape.table() + " SET " + set + " WHERE " + where,
                "INSERT INTO " + shape.table() + " (" + names + ") VALUES (" + values + ")");
    }

    private static void flush(Handle h, Row shape, List<Map.Entry<Row, Pending>> rows) {
        ShapeSql sql = SHAPE_SQL.computeIfAbsent(shape, ReportProjection::sqlOf);
        PreparedBatch update = h.prepareBatch(sql.update());
        for (var r : rows) bind(update, r.getKey(), r.getValue()).add();
        int[] found = update.execute();
        PreparedBatch insert = h.prepareBatch(sql.insert());
        boolean any = false;
        for (int i = 0; i < rows.size(); i++) {
            if (found[i] != 0) continue; // updated (H2 and PostgreSQL both count a batch's rows)
            bind(insert, rows.get(i).getKey(), rows.get(i).getValue()).add();
            any = true;
        }
        if (any) insert.execute();
    }

    /** The parameter names :d0.. and :k0.. (made once: a batch binds several per row). */
    private static final String[] D = names("d", 32);
    private static final String[] K = names("k", 16);

    private static String[] names(String prefix, int n) {
        String[] out = new String[n];
        for (int i = 0; i < n; i++) out[i] = prefix + i;
        return out;
    }

    private static String name(String[] names, String prefix, int i) {
        return i < names.length ? names[i] : prefix + i;
    }

    private static PreparedBatch bind(PreparedBatch b, Row row, Pending p) {
        for (int i = 0; i < p.delta.length; i++) b.bind(name(D, "d", i), p.delta[i]);
        if (row.longest()) b.bind("longest", p.longest);
        for (int i = 0; i < row.key().size(); i++) b.bind(name(K, "k", i), row.key().get(i));
        return b;
    }

    private static long[] offerValues(String result) {
        boolean missed = result != null && (result.equals("no_answer") || result.equals("busy") || result.equals("rejected") || result.equals("failed"));
        return new long[] {1, "answered".equals(result) ? 1 : 0, missed ? 1 : 0, 0, 0, 0, 0};
    }

    /** Writes an offer and adds the difference it makes to agent_stat. */
    void upsert(Handle h, QueueVisits.Offer o) {
        var old = h.createQuery("SELECT result, slot FROM queue_offer WHERE call_id = :c AND channel_id = :ch")
                .bind("c", o.callId()).bind("ch", o.channelId()).map((rs, c) -> new Object[] {rs.getString(1), rs.getLong(2)}).findOne();
        long slot = slot(o.offeredAt());
        long[] before;
        if (old.isPresent()) {
            before = offerValues((String) old.get()[0]);
            h.createUpdate("UPDATE queue_offer SET result = :result WHERE call_id = :c AND channel_id = :ch")
                    .bind("result", o.result()).bind("c", o.callId()).bind("ch", o.channelId()).execute();
        } else {
            before = new long[AGENT_COLS.length];
            h.createUpdate("""
                            INSERT INTO queue_offer (enterprise_id, call_id, channel_id, queue, agent_user_id, offered_at, slot, result)
                            VALUES (:e, :c, :ch, :queue, :agent, :at, :slot, :result)""")
                    .bind("e", o.enterpriseId()).bind("c", o.callId()).bind("ch", o.channelId()).bind("queue", cut(o.queue()))
                    .bind("agent", o.agentUserId()).bind("at", ts(o.offeredAt())).bind("slot", slot).bind("result", o.result())
                    .execute();
        }
        long[] after = offerValues(o.result());
        long[] d = new long[after.length];
        boolean any = false;
        for (int i = 0; i < d.length; i++) {
            d[i] = after[i] - before[i];
            any |= d[i] != 0;
        }
        if (any) {
            add(h, "agent_stat", List.of("enterprise_id", "slot", "agent_user_id", "queue"),
                    List.of(o.enterpriseId(), slot, o.agentUserId(), o.queue() == null ? "" : cut(o.queue())), AGENT_COLS, d, -1);
        }
    }

    /** A closed call's record: an inbound call adds one to call_stat, and to its way of loss if it was lost. */
    void recorded(Handle h, long enterpriseId, CallRecord r) {
        if ("outbound".equals(r.direction())) {
            outbound(h, enterpriseId, r);
            return;
        }
        if (!"inbound".equals(r.direction())) return;
        boolean answered = r.disposition() == CallRecord.Disposition.ANSWERED;
        boolean abandoned = r.disposition() == CallRecord.Disposition.ABANDONED_IVR || r.disposition() == CallRecord.Disposition.ABANDONED_QUEUE
                || r.disposition() == CallRecord.Disposition.ABANDONED_RINGING;
        add(h, "number_stat", List.of("enterprise_id", "slot", "number"),
                List.of(enterpriseId, slot(r.startedAt()), r.callee() == null ? "" : cut(r.callee())),
                new String[] {"inbound", "answered", "abandoned", "not_answered", "talk_ms"},
                new long[] {1, answered ? 1 : 0, abandoned ? 1 : 0, r.disposition() == CallRecord.Disposition.UNANSWERED ? 1 : 0,
                        answered ? talkMs(h, r) : 0}, -1);
        String way = r.disposition() == null ? "" : switch (r.disposition()) {
            case ABANDONED_IVR -> "left_ivr";
            case ABANDONED_QUEUE -> "abandoned_queued";
            case ABANDONED_RINGING -> "abandoned_ringing";
            case UNANSWERED -> "callback".equals(r.queueResult()) ? "callback" : "not_answered";
            default -> "";
        };
        // Not answered by the system after its last queue sent it on: why (the visit's overflow reason).
        String overflow = way.equals("not_answered") && r.queue() != null ? overflowReason(h, r.callId()) : null;
        String[] cols = {"inbound", "left_ivr", "abandoned_queued", "abandoned_ringing", "not_answered", "callback", "overflow_no_agents",
                "overflow_full", "overflow_max_wait"};
        long[] d = new long[cols.length];
        d[0] = 1;
        for (int i = 1; i < cols.length; i++) if (cols[i].equals(way) || cols[i].equals(overflow)) d[i] = 1;
        add(h, "call_stat", List.of("enterprise_id", "slot", "queue"),
                List.of(enterpriseId, slot(r.startedAt()), r.queue() == null ? "" : cut(r.queue())), cols, d, -1);
    }

    /** The call_stat column of the overflow that ended the call's last queue visit (null: it did not end in an overflow). */
    static String overflowReason(Handle h, String callId) {
        return h.createQuery("SELECT result, reason FROM queue_visit WHERE call_id = :c ORDER BY seq DESC LIMIT 1").bind("c", callId)
                .map((rs, c) -> "overflow".equals(rs.getString(1)) ? overflowColumn(rs.getString(2)) : null).findOne().orElse(null);
    }

    /** The call_stat column of an overflow reason of {@code acd.QueueDispatcher}: no_agents, full, max_wait. */
    static String overflowColumn(String reason) {
        return reason == null ? null : switch (reason) {
            case "no_agents" -> "overflow_no_agents";
            case "full" -> "overflow_full";
            case "max_wait" -> "overflow_max_wait";
            default -> null;
        };
    }

    /**
     * A person's talk on an answered call: the agents' talk (without hold) of its answered queue visits; a call that no queue
     * answered (an extension, an outside number), from answer to hang-up.
     */
    static long talkMs(Handle h, CallRecord r) {
        // Only a call that joined a queue has visits (its record names the queue).
        Long queued = r.queue() == null ? null : h.createQuery("SELECT SUM(talk_ms) FROM queue_visit WHERE call_id = :c AND result = 'answered'")
                .bind("c", r.callId()).mapTo(Long.class).one();
        return queued != null ? queued : r.talkSeconds() * 1000L;
    }

    /** An outbound call adds one to outbound_stat of the agent who placed it: the call's agent, else the user of its extension. */
    private void outbound(Handle h, long enterpriseId, CallRecord r) {
        Long agent = r.agentUserId();
        if (agent == null && r.extension() != null) {
            agent = h.createQuery("SELECT user_id FROM extension WHERE enterprise_id = :e AND number = :n AND user_id IS NOT NULL")
                    .bind("e", enterpriseId).bind("n", r.extension()).mapTo(Long.class).findOne().orElse(null);
        }
        if (agent == null) return;
        boolean answered = r.disposition() == CallRecord.Disposition.ANSWERED;
        add(h, "outbound_stat", List.of("enterprise_id", "slot", "agent_user_id"), List.of(enterpriseId, slot(r.startedAt()), agent),
                new String[] {"calls", "answered", "talk_ms"}, new long[] {1, answered ? 1 : 0, answered ? r.talkSeconds() * 1000L : 0}, -1);
    }

    private static Timestamp ts(Instant at) {
        return at == null ? null : Timestamp.from(at);
    }

    private static String cut(String s) {
        return s == null || s.length() <= 64 ? s : s.substring(0, 64);
    }
}
