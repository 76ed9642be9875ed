package dev.hotline.report;

import dev.hotline.store.StatementCache;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The append-only call event log. {@link #append} never blocks a call: events go to a queue that
 * one writer thread drains in batches, each batch in one transaction together with the call
 * records of the calls it closes. {@link #close} writes everything still queued. At start,
 * calls that have events but no record (the server died mid-call) are closed as "system_restart".
 */
public final class EventLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventLog.class);
    private static final int BATCH = 500;

    private final Jdbi jdbi;
    private final Clock clock;
    private final BlockingQueue<LogEvent> queue = new LinkedBlockingQueue<>();
    /**
     * Next sequence number per open call, forgotten when the call's close is committed; a call that never closes is forgotten
     * when it is the least recently used of 100 000. A late event of a forgotten call asks the database.
     */
    private final Map<String, Integer> seq = new java.util.LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
            return size() > 100_000;
        }
    };
    private final Thread writer;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicLong written = new AtomicLong();
    /** Events appended so far, and events the writer is done with (written, or refused for their data). */
    private final AtomicLong appended = new AtomicLong();
    private final AtomicLong settled = new AtomicLong();
    private volatile boolean running = true;
    private volatile Consumer<CallRecord> recorded = r -> { };
    private volatile ClosedBySystem closedBySystem = (h, e, r) -> { };

    /** What else is written with a call record the system closes after start (OPS-3 takeover): in its transaction. */
    @FunctionalInterface
    public interface ClosedBySystem {
        void closed(Handle h, long enterpriseId, CallRecord record);
    }

    private final java.nio.file.Path rejectedFile;
    private final List<Projection> projections;
    /** The report tables (queue visits and offers, their roll-ups), kept by this log itself. */
    private final ReportProjection reports;

    public EventLog(Jdbi jdbi, Clock clock) {
        this(jdbi, clock, null, List.of());
    }

    public EventLog(Jdbi jdbi, Clock clock, java.nio.file.Path rejectedFile) {
        this(jdbi, clock, rejectedFile, List.of());
    }

    /**
     * @param rejectedFile where events the database refuses for their data are kept (a line each); null: only logged
     * @param projections the features' tables kept from call events, written in the same transaction as the events
     */
    public EventLog(Jdbi jdbi, Clock clock, java.nio.file.Path rejectedFile, List<Projection> projections) {
        this(jdbi, clock, rejectedFile, projections, (h, enterpriseId) -> Map.of(), java.time.ZoneId.of("UTC"));
    }

    /**
     * @param targets    the queues' report targets (service level, short abandon), judged when a caller's result is known
     * @param reportZone the zone of the day roll-ups: reports by day, week or month in this zone read them
     */
    public EventLog(Jdbi jdbi, Clock clock, java.nio.file.Path rejectedFile, List<Projection> projections, QueueTargets.Source targets,
                    java.time.ZoneId reportZone) {
        this(jdbi, clock, rejectedFile, projections, targets, reportZone, true);
    }

    /**
     * @param closeAllAtStart close every call left without a record at start (one server); false for a node of several
     *                        (OPS-3), which closes only the calls of the enterprises it takes over ({@link #closeUnfinishedCalls(long, String)})
     */
    public EventLog(Jdbi jdbi, Clock clock, java.nio.file.Path rejectedFile, List<Projection> projections, QueueTargets.Source targets,
                    java.time.ZoneId reportZone, boolean closeAllAtStart) {
        this.reports = new ReportProjection(targets, reportZone);
        this.jdbi = jdbi;
        this.clock = clock;
        this.rejectedFile = rejectedFile;
        this.projections = List.copyOf(projections);
        // Before any event is written: the time-in-state roll-up is built from agent_event at the first start with it (V27,
        // V31) or after the report zone changed; the survey roll-up from survey_result likewise (V31).
        AgentStateRollup.rebuildIfZoneChanged(jdbi, reportZone);
        SurveyRollup.rebuildIfZoneChanged(jdbi, reportZone);
        int closed = closeAllAtStart ? closeUnfinishedCalls(null, "system_restart", call -> true, (h, e, r) -> { }) : 0;
        if (closed > 0) log.warn("closed {} call(s) left unfinished by the last run (cause system_restart)", closed);
        this.writer = new Thread(this::run, "event-log-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Queues an event; returns at once. */
    public void append(LogEvent e) {
        appended.incrementAndGet();
        queue.add(e);
    }

    /**
     * Events appended so far: once {@link #settled()} reaches a value read here, every event appended before the read is
     * in the database (or was refused for its data). Readers of the log's tables use it to wait for a change they saw live.
     */
    public long appended() {
        return appended.get();
    }

    /** Events the writer is done with, in the order they were appended (see {@link #appended()}). */
    public long settled() {
        return settled.get();
    }

    /**
     * Waits (at most {@code max}) until every event appended before {@code mark} (a value of {@link #appended()}) is settled;
     * returns whether they are.
     */
    public boolean awaitSettled(long mark, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (settled.get() < mark) {
            if (System.nanoTime() > deadline || !writer.isAlive()) return false;
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
        return true;
    }

    /**
     * Called in the transaction of each call record {@link #closeUnfinishedCalls(long, String, Predicate)} writes (RPT-5: the
     * rating of its trunk legs, which the log's projections do for calls that end). Not for those closed at start.
     */
    public void onClosedBySystem(ClosedBySystem listener) {
        this.closedBySystem = listener;
    }

    /** Called on the writer thread with each call record once it is committed (OPS-4 metrics); must return at once. */
    public void onRecorded(Consumer<CallRecord> listener) {
        this.recorded = listener;
    }

    /** Events waiting to be written. */
    public int backlog() {
        return queue.size();
    }

    /** How long the oldest event waiting to be written has waited (zero when none waits). */
    public Duration lag() {
        LogEvent head = queue.peek();
        if (head == null) return Duration.ZERO;
        Duration d = Duration.between(head.at(), clock.instant());
        return d.isNegative() ? Duration.ZERO : d;
    }

    private void committed(List<LogEvent> events) {
        reports.committed();
        // A closed call's numbering is forgotten once its close is in the database (a late event asks the database): kept until
        // evicted, the 100 000 calls grew the heap by ~2.3 MB a minute through a 6-minute run at 200 calls/s.
        for (LogEvent ev : events) {
            if (ev instanceof CallLogEvent.Closed c) seq.remove(c.callId());
        }
        written.addAndGet(events.size());
        settled.addAndGet(events.size());
        Consumer<CallRecord> l = recorded;
        for (LogEvent ev : events) {
            if (ev instanceof CallLogEvent.Closed c) {
                try {
                    l.accept(c.record());
                } catch (RuntimeException e) {
                    log.warn("a call record listener failed: {}", e.toString());
                }
            }
        }
    }

    /** Events written so far (for tests and metrics). */
    public long written() {
        return written.get();
    }

    /** Blocks until every event appended before this call is written, or the timeout passes. */
    public boolean flush(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (!queue.isEmpty() || inFlight) {
            if (System.nanoTime() > deadline) return false;
            synchronized (this) {
                wait(10);
            }
        }
        return true;
    }

    private volatile boolean inFlight;

    /**
     * The writer's own connection, kept open with its prepared statements ({@link StatementCache}): a batch no longer
     * prepares (H2: parses) its twenty-odd statements again. Dropped after a failure (the next batch opens another) and
     * renewed every {@link #HANDLE_LIFETIME} so the pool's connection lifetime still holds. Only the writer thread uses it.
     */
    private Handle handle;
    private long handleOpenedNanos;
    private long statementsPrepared;
    static final Duration HANDLE_LIFETIME = Duration.ofMinutes(10);

    private Handle handle() {
        if (handle != null && System.nanoTime() - handleOpenedNanos > HANDLE_LIFETIME.toNanos()) dropHandle();
        if (handle == null) {
            handle = StatementCache.open(jdbi);
            handleOpenedNanos = System.nanoTime();
        }
        return handle;
    }

    private void dropHandle() {
        if (handle == null) return;
        statementsPrepared += StatementCache.prepared(handle);
        try {
            handle.close();
        } catch (RuntimeException e) {
            log.debug("event log connection not closed cleanly: {}", e.toString());
        }
        handle = null;
    }

    /** Statements the writer prepared so far (for tests: a batch reuses the last one's). */
    long statementsPrepared() {
        Handle h = handle;
        return statementsPrepared + (h == null ? 0 : StatementCache.prepared(h));
    }

    private void run() {
        List<LogEvent> batch = new ArrayList<>(BATCH);
        try {
            while (running || !queue.isEmpty()) {
                LogEvent first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                inFlight = true;
                batch.add(first);
                // Every event queued while the last batch was written joins this one (a busy log batches by itself). Waiting
                // 50 ms more for a batch to gather was tried (2026-12-07) and reverted: an API reading back its own write at
                // once (a supervisor's forced state, a recording's pause, a web call-back's step) did not find it yet.
                queue.drainTo(batch, BATCH - 1);
                write(batch);
                batch.clear();
                inFlight = false;
                synchronized (this) {
                    notifyAll();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            dropHandle();
            stopped.countDown();
        }
    }

    private void write(List<LogEvent> batch) {
        try {
            handle().useTransaction(h -> insert(h, batch));
            committed(batch);
            return;
        } catch (RuntimeException e) {
            log.warn("event log batch of {} failed ({}); writing its events one by one", batch.size(), e.toString());
            reports.rolledBack(batch);
            dropHandle(); // the connection may be what failed
        }
        // One bad event must not hold back the others: each alone, and one the database refuses for its data
        // is kept in a file beside the database instead of being retried forever.
        for (LogEvent ev : batch) {
            for (int attempt = 1; ; attempt++) {
                try {
                    handle().useTransaction(h -> insert(h, List.of(ev)));
                    committed(List.of(ev));
                    break;
                } catch (RuntimeException e) {
                    reports.rolledBack(List.of(ev));
                    dropHandle();
                    if (refusedForItsData(e)) {
                        rejected(ev, e);
                        settled.incrementAndGet();
                        break;
                    }
                    // The database is unreachable: retry with back-off; the queue grows meanwhile, calls are not blocked.
                    log.error("event log write failed (attempt {}), retrying", attempt, e);
                    try {
                        Thread.sleep(Math.min(5000, 100L * attempt));
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    /** SQLState class 22 (data exception) or 23 (integrity constraint): retrying cannot help. */
    static boolean refusedForItsData(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            // a JDBC batch's failure may carry the statement's own as its next exception
            for (SQLException sql = t instanceof SQLException s ? s : null; sql != null; sql = sql.getNextException()) {
                if (sql.getSQLState() != null && (sql.getSQLState().startsWith("22") || sql.getSQLState().startsWith("23"))) {
                    return true;
                }
            }
        }
        return false;
    }

    private void rejected(LogEvent ev, RuntimeException e) {
        String subject = subjectOf(ev);
        String type = ev instanceof CallLogEvent c ? c.type() : ev instanceof AgentLogEvent ? "agent_state"
                : ev instanceof TicketLogEvent t ? "ticket_" + t.action() : "campaign_" + ((CampaignLogEvent) ev).action();
        String data = ev instanceof CallLogEvent c ? c.data() : ev.toString();
        log.error("event log: the database refused {} of {}; kept in {}", type, subject, rejectedFile, e);
        if (rejectedFile == null) return;
        try {
            java.nio.file.Files.writeString(rejectedFile, ev.at() + "\t" + ev.enterpriseId() + "\t" + subject + "\t" + type
                            + "\t" + data + "\t" + e.getMessage().replace('\n', ' ') + "\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException io) {
            log.error("cannot keep refused event in {}", rejectedFile, io);
        }
    }

    private static String subjectOf(LogEvent ev) {
        if (ev instanceof CallLogEvent c) return c.callId();
        if (ev instanceof AgentLogEvent a) return "agent-" + a.userId();
        if (ev instanceof TicketLogEvent t) return "ticket-" + t.ticketId();
        return "campaign-" + ((CampaignLogEvent) ev).campaignId();
    }

    private void insert(Handle h, List<LogEvent> batch) {
        // The call events and records of the batch go as plain JDBC batches (positional parameters): with named Jdbi
        // statements their binding cost twice what the database spent writing them.
        PreparedStatement events = null;
        PreparedStatement records = null;
        try {
            events = StatementCache.prepare(h, INSERT_EVENT);
            records = StatementCache.prepare(h, CallRecordStore.INSERT);
            insert(h, batch, events, records);
        } catch (SQLException e) {
            throw new IllegalStateException("event log batch not written: " + e.getMessage(), e);
        } finally {
            release(h, events);
            release(h, records);
        }
    }

    private static final String INSERT_EVENT =
            "INSERT INTO call_event (enterprise_id, call_id, seq, at, type, channel_id, data) VALUES (?, ?, ?, ?, ?, ?, ?)";

    private static void release(Handle h, PreparedStatement ps) {
        if (ps == null) return;
        try {
            StatementCache.release(h, ps);
        } catch (SQLException e) {
            log.debug("statement not released: {}", e.toString());
        }
    }

    private void insert(Handle h, List<LogEvent> batch, PreparedStatement events, PreparedStatement records) throws SQLException {
        var agents = h.prepareBatch("""
                INSERT INTO agent_event (enterprise_id, user_id, at, state, previous, reason, device, call_id, cause)
                VALUES (:e, :u, :at, :s, :p, :r, :d, :c, :cause)""");
        boolean anyCall = false;
        boolean anyRecord = false;
        boolean anyAgent = false;
        for (LogEvent le : batch) {
            if (le instanceof AgentLogEvent a) {
                agents.bind("e", a.enterpriseId()).bind("u", a.userId()).bind("at", Timestamp.from(a.at())).bind("s", a.state())
                        .bind("p", a.previous()).bind("r", a.reason()).bind("d", a.device()).bind("c", a.callId()).bind("cause", a.cause())
                        .add();
                reports.apply(h, a);
                for (Projection p : projections) p.apply(h, a);
                anyAgent = true;
                continue;
            }
            if (le instanceof TicketLogEvent || le instanceof CampaignLogEvent) {
                // API-2: no table of the log's own (the ticket's timeline, the campaign's row keep them): only the projections
                // (webhook deliveries, the event stream) write them, in this transaction and in the log's order.
                for (Projection p : projections) p.apply(h, le);
                continue;
            }
            CallLogEvent e = (CallLogEvent) le;
            anyCall = true;
            if (!(e instanceof CallLogEvent.Arrived) && !seq.containsKey(e.callId())) {
                // A late event of a call already closed (e.g. its recording finishing): continue its numbering.
                seq.put(e.callId(), h.createQuery("SELECT COALESCE(MAX(seq), 0) FROM call_event WHERE call_id = :c")
                        .bind("c", e.callId()).mapTo(Integer.class).one());
            }
            int n = seq.merge(e.callId(), 1, Integer::sum);
            events.setLong(1, e.enterpriseId());
            events.setString(2, e.callId());
            events.setInt(3, n);
            events.setTimestamp(4, Timestamp.from(e.at()));
            events.setString(5, e.type());
            events.setString(6, e.channelId());
            events.setString(7, e.data());
            events.addBatch();
            if (e instanceof CallLogEvent.Closed c) {
                CallRecordStore.bindInsert(records, e.enterpriseId(), c.record());
                records.addBatch();
                anyRecord = true;
            }
            for (Projection p : projections) p.apply(h, e);
            reports.apply(h, e);
            // After the call's queue visits are final: the roll-ups of the record read the agents' talk from them.
            if (e instanceof CallLogEvent.Closed c) reports.recorded(h, e.enterpriseId(), c.record());
        }
        if (anyCall) events.executeBatch();
        if (anyRecord) records.executeBatch();
        if (anyAgent) agents.execute();
        reports.flush(h);
        for (Projection p : projections) p.flush(h);
    }

    /**
     * OPS-3: closes the calls of {@code enterpriseId} that a failed node left without a record (a node taking the enterprise
     * over, before it serves it), those {@code which} selects by call id, with {@code cause}; each record is rated in its
     * transaction ({@link #onClosedBySystem}). Returns how many were closed.
     */
    public int closeUnfinishedCalls(long enterpriseId, String cause, Predicate<String> which) {
        int closed = closeUnfinishedCalls(Long.valueOf(enterpriseId), cause, which, closedBySystem);
        if (closed > 0) log.warn("closed {} call(s) of enterprise {} left unfinished (cause {})", closed, enterpriseId, cause);
        return closed;
    }

    /** Folds the logged events of every call without a record (of one enterprise, or all: null) into one, closed with {@code cause}. */
    private int closeUnfinishedCalls(Long enterpriseId, String cause, Predicate<String> which, ClosedBySystem also) {
        return jdbi.inTransaction(h -> {
            List<String> open = h.createQuery("""
                    SELECT DISTINCT call_id FROM call_event e
                    WHERE NOT EXISTS (SELECT 1 FROM call_record r WHERE r.call_id = e.call_id)
                    AND (CAST(:e AS BIGINT) IS NULL OR e.enterprise_id = :e)""").bind("e", enterpriseId).mapTo(String.class)
                    .filter(which).list();
            int closed = 0;
            for (String callId : open) {
                CallTracker t = new CallTracker();
                long[] enterprise = {0};
                List<CallLogEvent> events = CallRecordStore.events(h, callId);
                events.forEach(t::apply);
                if (!events.isEmpty()) enterprise[0] = events.get(0).enterpriseId();
                var record = t.closeUnfinished("SYSTEM_RESTART");
                // The report rows of the call: waiting callers abandoned, talk ended, ringing offers cancelled.
                QueueVisits visits = new QueueVisits();
                events.forEach(visits::apply);
                visits.close(clock.instant());
                visits.markAllChanged();
                reports.write(h, visits);
                if (record.isPresent()) {
                    CallRecord r = record.get();
                    CallRecord ended = r.closedBySystem(clock.instant(), cause);
                    CallRecordStore.insert(h, enterprise[0], ended);
                    reports.recorded(h, enterprise[0], ended);
                    int seqNo = events.size() + 1;
                    h.createUpdate("""
                            INSERT INTO call_event (enterprise_id, call_id, seq, at, type, channel_id, data)
                            VALUES (:e, :call, :seq, :at, 'closed', NULL, 'outcome=' || :o || ' cause=' || :cause)""")
                            .bind("cause", cause).bind("e", enterprise[0]).bind("call", callId).bind("seq", seqNo).bind("at", Timestamp.from(clock.instant()))
                            .bind("o", ended.outcome().key()).execute();
                    also.closed(h, enterprise[0], ended);
                    closed++;
                }
                reports.flush(h);
            }
            return closed;
        });
    }

    @Override
    public void close() {
        running = false;
        try {
            if (!stopped.await(30, TimeUnit.SECONDS)) log.error("event log writer did not finish; {} events not written", queue.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
