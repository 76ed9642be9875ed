package dev.hotline.report;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jdbi.v3.core.Handle;

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
    /** Agent → (call, since) of the wrap-up they are in. */
    private final Map<Long, AgentLogEvent> wrapping = new java.util.HashMap<>();

    static long slot(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), SLOT_SECONDS);
    }

    void apply(Handle h, CallLogEvent e) {
        if (!(e instanceof CallLogEvent.Arrived) && !calls.containsKey(e.callId()) && !relevant(e)) return;
        QueueVisits fold = calls.computeIfAbsent(e.callId(), k -> new QueueVisits());
        fold.apply(e);
        write(h, fold);
        if (e instanceof CallLogEvent.Closed) calls.remove(e.callId());
    }

    /** The transaction that wrote these events rolled back: their calls' rows are written again with the next event. */
    void rolledBack(java.util.List<LogEvent> batch) {
        for (LogEvent e : batch) {
            if (e instanceof CallLogEvent c && calls.containsKey(c.callId())) calls.get(c.callId()).markAllChanged();
        }
    }

    private static boolean relevant(CallLogEvent e) {
        return e instanceof CallLogEvent.QueueJoined || e instanceof CallLogEvent.QueueOffered || e instanceof CallLogEvent.QueueOfferEnded;
    }

    /** Writes what {@code fold} changed. */
    static void write(Handle h, QueueVisits fold) {
        for (QueueVisits.Visit v : fold.changedVisits()) upsert(h, v);
        for (QueueVisits.Offer o : fold.changedOffers()) upsert(h, o);
    }

    void apply(Handle h, AgentLogEvent a) {
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
            h.createUpdate("UPDATE queue_visit SET wrap_ms = wrap_ms + :ms WHERE call_id = :c AND agent_user_id = :u AND result = 'answered'")
                    .bind("ms", ms).bind("c", since.callId()).bind("u", a.userId()).execute();
        }
    }

    static void upsert(Handle h, QueueVisits.Visit v) {
        int n = h.createUpdate("""
                        UPDATE queue_visit SET result = :result, reason = :reason, ended_at = :ended, wait_ms = :wait, agent_user_id = :agent,
                            talk_ms = :talk, hold_ms = :hold, transfers = :transfers
                        WHERE call_id = :c AND seq = :seq""")
                .bind("result", v.result()).bind("reason", v.reason()).bind("ended", ts(v.endedAt())).bind("wait", v.waitMs())
                .bind("agent", v.agentUserId()).bind("talk", v.talkMs()).bind("hold", v.holdMs()).bind("transfers", v.transfers())
                .bind("c", v.callId()).bind("seq", v.seq()).execute();
        if (n > 0) return;
        h.createUpdate("""
                        INSERT INTO queue_visit (enterprise_id, call_id, seq, queue, joined_at, slot, result, reason, ended_at, wait_ms,
                            agent_user_id, talk_ms, hold_ms, transfers)
                        VALUES (:e, :c, :seq, :queue, :joined, :slot, :result, :reason, :ended, :wait, :agent, :talk, :hold, :transfers)""")
                .bind("e", v.enterpriseId()).bind("c", v.callId()).bind("seq", v.seq()).bind("queue", cut(v.queue()))
                .bind("joined", ts(v.joinedAt())).bind("slot", slot(v.joinedAt())).bind("result", v.result()).bind("reason", v.reason())
                .bind("ended", ts(v.endedAt())).bind("wait", v.waitMs()).bind("agent", v.agentUserId()).bind("talk", v.talkMs())
                .bind("hold", v.holdMs()).bind("transfers", v.transfers()).execute();
    }

    static void upsert(Handle h, QueueVisits.Offer o) {
        int n = h.createUpdate("UPDATE queue_offer SET result = :result WHERE call_id = :c AND channel_id = :ch")
                .bind("result", o.result()).bind("c", o.callId()).bind("ch", o.channelId()).execute();
        if (n > 0) return;
        h.createUpdate("""
                        INSERT INTO queue_offer (enterprise_id, call_id, channel_id, queue, agent_user_id, offered_at, slot, result)
                        VALUES (:e, :c, :ch, :queue, :agent, :at, :slot, :result)""")
                .bind("e", o.enterpriseId()).bind("c", o.callId()).bind("ch", o.channelId()).bind("queue", cut(o.queue()))
                .bind("agent", o.agentUserId()).bind("at", ts(o.offeredAt())).bind("slot", slot(o.offeredAt())).bind("result", o.result())
                .execute();
    }

    private static Timestamp ts(Instant at) {
        return at == null ? null : Timestamp.from(at);
    }

    private static String cut(String s) {
        return s == null || s.length() <= 64 ? s : s.substring(0, 64);
    }
}
