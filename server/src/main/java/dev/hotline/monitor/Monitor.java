package dev.hotline.monitor;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.hotline.acd.Acd;
import dev.hotline.acd.AgentState;
import dev.hotline.acd.AgentView;
import dev.hotline.acd.QueueLive;
import dev.hotline.domain.DomainException;
import dev.hotline.domain.JsonMapper;
import dev.hotline.report.AgentFigures;
import dev.hotline.report.CallRecord;
import dev.hotline.report.EventLog;
import dev.hotline.report.ListReports;
import dev.hotline.report.Period;
import dev.hotline.report.QueueFigures;
import dev.hotline.report.Reports;
import dev.hotline.routing.CallBook;
import dev.hotline.supervision.Supervision;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live monitor (SUP-1): per enterprise, the queues (callers waiting and the longest wait now, agents by state, and
 * today's figures), the agents with their state, the calls in progress and the supervisions. Today's figures come from
 * the report roll-ups of the event log ({@link Reports#queueFigures}), so they survive a restart and equal the reports
 * of the same day; the rest is live state. Pushed to subscribers as a {@code snapshot} server-sent event whenever it
 * changed, checked every {@link #TICK} (a closed stream is found at the next keep-alive); durations (time in state, call time) are counted by the page from the instants.
 */
public final class Monitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Monitor.class);
    /** How often the snapshot of an enterprise with subscribers is rebuilt and sent when it changed. */
    static final Duration TICK = Duration.ofMillis(500);
    /** A comment line this often keeps proxies from closing a quiet stream. */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(5);

    /**
     * One queue now: live figures from the ACD, today's from the event log (the same numbers as the reports); {@code onHold}:
     * its calls on hold by the agent's side now ({@link CallBook#onHold}: from the desk, the agent's own phone, a consultation;
     * not the caller's own phone holding the agent, which is talk, as the hold time counts it, RPT-3).
     */
    public record QueueNow(long queueId, String name, int waiting, long longestWaitSeconds, Map<AgentState, Integer> agents, int unreachable,
                           int onHold, Today today, String level) {}

    /**
     * SUP-3: a figure past its threshold ({@link WallboardSettings}): {@code kind} waiting, longest_wait, service_level (of
     * a queue, {@code subject} its name) or agent_state (an agent, {@code subject} their name, {@code detail} the state);
     * {@code level} amber or red.
     */
    public record Alert(String kind, String subject, String detail, double value, double threshold, String level) {}

    /** What a wallboard shows: no names of agents, no callers' numbers. */
    public record Wallboard(String day, Today total, List<QueueNow> queues, List<Alert> alerts) {}

    /**
     * Today's figures of a queue or of the enterprise (the sum of its queues), from midnight in the enterprise's zone
     * ({@link MonitorSettings}; the server's report zone when it has none).
     * {@code entered} is the number of calls that joined (offered); {@code holdSeconds} the hold of its answered calls (the
     * queue report's "hold": holds that ended, once the event log has written their end, also while the call goes on;
     * a hold in progress is not in it: it shows as a call on hold, {@link QueueNow#onHold}).
     */
    public record Today(long entered, long answered, long abandoned, long shortAbandoned, long overflowed, long voicemail, long callback,
                        Double serviceLevel, Double abandonRate, Double asaSeconds, Double ahtSeconds, double holdSeconds) {
        static Today of(QueueFigures f) {
            return new Today(f.offered(), f.answered(), f.abandoned(), f.shortAbandoned(), f.overflowed(), f.voicemail(), f.callback(),
                    f.serviceLevel(), f.abandonRate(), f.asaSeconds(), f.ahtSeconds(), QueueFigures.round1(f.holdMs() / 1000.0));
        }
    }

    /**
     * A call in progress; {@code state}: queued (waiting in a queue now), answered (by a person or the IVR) or ringing;
     * {@code onHold}: on hold by the agent's side now ({@link CallBook#onHold}).
     */
    public record CallNow(String callId, String direction, String caller, String callee, String state, String queue, Long agentUserId,
                          String agentJob, Instant startedAt, Instant answeredAt, boolean onHold) {}

    /**
     * What the monitor page shows. {@code day}: the date today's figures count from (the enterprise's zone); {@code onHold}:
     * the enterprise's calls on hold now.
     */
    public record Snapshot(String day, Today total, int onHold, List<QueueNow> queues, List<AgentView> agents, List<CallNow> calls,
                           List<Supervision.View> supervisions, List<Alert> alerts) {}

    /**
     * Where a subscriber's snapshots go (the routes adapt a server-sent event stream): whether it is still open, a
     * snapshot to send, a keep-alive to send, and how to end it.
     */
    public record Sink(BooleanSupplier open, Consumer<String> snapshot, Runnable keepAlive, Runnable close) {}

    /** SUP-3: a connection that is sent the enterprise's alerts when they change (a supervisor's desk); {@code key} is unique per connection. */
    public record AlertWatcher(String key, long enterpriseId) {}

    /**
     * Where alerts go besides the monitor and wallboard streams (the wiring adapts the CTI hub): the connections that
     * want them now, and how to send one of them the enterprise's alerts ({@code raised}: those it had not been sent).
     */
    public interface AlertListener {
        List<AlertWatcher> watchers();

        void send(AlertWatcher to, List<Alert> alerts, List<Alert> raised);
    }

    /** One open stream; {@code last} and {@code lastSentNanos} are touched on the monitor thread only. */
    private static final class Subscriber {
        final long enterpriseId;
        final boolean wallboard;
        /** The agent of an agent view stream; null for the monitor and the wallboard. */
        final Long agentUserId;
        final Sink client;
        String last;
        long lastSentNanos = System.nanoTime();
        /** An agent view stream: the agent's live state and call when the view was last built. */
        String lastLive;
        /** An agent view stream: when the view is built again even if the live state has not changed (today's figures move). */
        long refreshAtNanos;
        /**
         * An agent view stream whose agent's live state changed: the event log's {@link EventLog#appended()} then; once the log
         * has {@link EventLog#settled()} that far its tables hold the change and the view is built again (0: nothing awaited).
         */
        long awaitedLog;

        Subscriber(long enterpriseId, boolean wallboard, Long agentUserId, Sink client) {
            this.enterpriseId = enterpriseId;
            this.wallboard = wallboard;
            this.agentUserId = agentUserId;
            this.client = client;
        }
    }

    /** An agent view whose agent stays in one state is built again this often (today's figures, e.g. talk time, move). */
    static final Duration AGENT_REFRESH = Duration.ofSeconds(10);

    private final Acd acd;
    private final CallBook book;
    private final Supervision supervision;
    private final Jdbi jdbi;
    private final EventLog eventLog;
    private final Clock clock;
    private final ZoneId reportZone;
    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    private final Map<Long, Settings> settings = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong snapshotsBuilt = new java.util.concurrent.atomic.AtomicLong();
    private volatile AlertListener alertListener;
    /** Alerts of other features for an enterprise (SEC-1 toll-fraud refusals), shown beside the monitor's own. */
    private volatile Function<Long, List<Alert>> otherAlerts = e -> List.of();
    /** Watcher key → the alerts it was last sent (monitor thread only). */
    private final Map<String, List<Alert>> alertsSent = new HashMap<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "monitor");
        t.setDaemon(true);
        return t;
    });

    /** Adds the alerts another feature raises for an enterprise (read on every snapshot: answer from memory). */
    public void alertSource(Function<Long, List<Alert>> source) {
        this.otherAlerts = source;
    }

    /** @param eventLog the log whose tables the agent view reads (the view waits for it to hold a change seen live) */
    public Monitor(Acd acd, CallBook book, Supervision supervision, Jdbi jdbi, EventLog eventLog, Clock clock, ZoneId reportZone) {
        this.acd = acd;
        this.book = book;
        this.supervision = supervision;
        this.jdbi = jdbi;
        this.eventLog = eventLog;
        this.clock = clock;
        this.reportZone = reportZone;
        ticker.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** An enterprise's monitor settings as last read (thresholds, zone of its day), kept {@link #SETTINGS_TTL} or until changed. */
    private record Settings(WallboardSettings rules, ZoneId zone, long loadedNanos) {}

    /** How long the monitor keeps an enterprise's settings before reading them again (a change through the API drops them at once). */
    static final Duration SETTINGS_TTL = Duration.ofSeconds(30);

    private Settings settings(long enterpriseId) {
        Settings s = settings.get(enterpriseId);
        if (s == null || System.nanoTime() - s.loadedNanos() > SETTINGS_TTL.toNanos()) {
            s = jdbi.withHandle(h -> new Settings(WallboardSettings.load(h, enterpriseId), MonitorSettings.load(h, enterpriseId).zone(reportZone),
                    System.nanoTime()));
            settings.put(enterpriseId, s);
        }
        return s;
    }

    /** The enterprise's thresholds or zone changed: read them again. */
    public void settingsChanged(long enterpriseId) {
        settings.remove(enterpriseId);
    }

    /** Today in the enterprise's zone, as a report query of one day. */
    private Reports.Query today(Instant now, ZoneId zone) {
        LocalDate day = LocalDate.ofInstant(now, zone);
        Period period = new Period(day.atStartOfDay(zone).toInstant(), day.plusDays(1).atStartOfDay(zone).toInstant(), zone, Period.Grouping.DAY);
        return new Reports.Query(period, null, null, now, reportZone);
    }

    /** The queues now with today's figures, their alerts and the enterprise's total (the sum of its queues, deleted ones too). */
    private record Queues(List<QueueNow> queues, List<Alert> alerts, QueueFigures total) {}

    private Queues queues(long enterpriseId, Reports.Query q, WallboardSettings rules) {
        Map<String, QueueFigures> today = new HashMap<>();
        jdbi.useHandle(h -> Reports.queueFigures(h, enterpriseId, q).values()
                .forEach(byQueue -> byQueue.forEach((name, f) -> today.merge(name, f, QueueFigures::plus))));
        List<QueueNow> queues = new ArrayList<>();
        List<Alert> alerts = new ArrayList<>();
        QueueFigures total = QueueFigures.ZERO;
        Map<String, Integer> held = new HashMap<>();
        for (CallRecord c : book.live(enterpriseId)) {
            if (c.queue() != null && book.onHold(enterpriseId, c.callId())) held.merge(c.queue(), 1, Integer::sum);
        }
        for (QueueLive l : acd.live(enterpriseId)) {
            QueueFigures f = today.getOrDefault(l.name(), QueueFigures.ZERO);
            total = total.plus(f);
            WallboardSettings.Thresholds t = rules.of(l.name());
            List<Alert> mine = queueAlerts(l.name(), l.waiting(), l.longestWaitSeconds(), f.serviceLevel(), t);
            alerts.addAll(mine);
            String level = mine.stream().anyMatch(a -> a.level().equals("red")) ? "red" : mine.isEmpty() ? "green" : "amber";
            queues.add(new QueueNow(l.queueId(), l.name(), l.waiting(), l.longestWaitSeconds(), l.agents(), l.unreachable(),
                    held.getOrDefault(l.name(), 0), Today.of(f), level));
        }
        // Queues deleted today still count in the enterprise's total (the reports keep them too).
        for (var e : today.entrySet()) if (queues.stream().noneMatch(x -> x.name().equals(e.getKey()))) total = total.plus(e.getValue());
        return new Queues(queues, alerts, total);
    }

    /**
     * A queue's alerts by its thresholds: callers waiting and the longest wait at or above amber / red, today's service level
     * (null: nothing answered or abandoned yet) below amber / red.
     */
    static List<Alert> queueAlerts(String queue, int waiting, long longestWaitSeconds, Double serviceLevel, WallboardSettings.Thresholds t) {
        List<Alert> mine = new ArrayList<>();
        above(mine, "waiting", queue, waiting, t.waitingAmber(), t.waitingRed());
        above(mine, "longest_wait", queue, longestWaitSeconds, t.longestWaitAmber(), t.longestWaitRed());
        if (serviceLevel != null && serviceLevel < t.serviceLevelRed()) {
            mine.add(new Alert("service_level", queue, null, serviceLevel, t.serviceLevelRed(), "red"));
        } else if (serviceLevel != null && serviceLevel < t.serviceLevelAmber()) {
            mine.add(new Alert("service_level", queue, null, serviceLevel, t.serviceLevelAmber(), "amber"));
        }
        return mine;
    }

    /** Agents too long in one state (not ready, wrap-up or one call). */
    static List<Alert> agentAlerts(List<AgentView> agents, WallboardSettings rules, Instant now) {
        int stateMinutes = rules.defaults().stateMinutes();
        List<Alert> alerts = new ArrayList<>();
        for (AgentView a : agents) {
            boolean long_ = a.since() != null && (a.state() == AgentState.NOT_READY || a.state() == AgentState.WRAP_UP || a.state() == AgentState.ON_CALL)
                    && Duration.between(a.since(), now).toMinutes() >= stateMinutes;
            if (long_) {
                alerts.add(new Alert("agent_state", a.name() != null ? a.name() : String.valueOf(a.userId()), a.state().key(),
                        Duration.between(a.since(), now).toMinutes(), stateMinutes, "amber"));
            }
        }
        return alerts;
    }

    /**
     * SUP-3: the enterprise's alerts now, and only what their rules need (the queues' live and today's figures, the agents'
     * states): not the agents' time in state, the calls or the supervisions of a whole {@link #snapshot}.
     */
    public List<Alert> alerts(long enterpriseId) {
        Instant now = clock.instant();
        Settings s = settings(enterpriseId);
        List<Alert> alerts = new ArrayList<>(queues(enterpriseId, today(now, s.zone()), s.rules()).alerts());
        alerts.addAll(agentAlerts(acd.agents(enterpriseId), s.rules(), now));
        alerts.addAll(otherAlerts.apply(enterpriseId));
        return List.copyOf(alerts);
    }

    /** The enterprise's monitor now. */
    public Snapshot snapshot(long enterpriseId) {
        snapshotsBuilt.incrementAndGet();
        Instant now = clock.instant();
        Settings s = settings(enterpriseId);
        Reports.Query q = today(now, s.zone());
        Queues qs = queues(enterpriseId, q, s.rules());
        Set<String> queued = new HashSet<>();
        acd.waiting(enterpriseId).forEach(w -> queued.add(w.callId()));
        List<CallNow> calls = book.live(enterpriseId).stream()
                .map(r -> new CallNow(r.callId(), r.direction(), r.caller(), r.callee(),
                        queued.contains(r.callId()) ? "queued" : r.answeredAt() != null ? "answered" : "ringing",
                        r.queue(), r.agentUserId(), r.agentJob(), r.startedAt(), r.answeredAt(), book.onHold(enterpriseId, r.callId())))
                .sorted(Comparator.comparing(CallNow::startedAt, Comparator.nullsLast(Comparator.naturalOrder()))).toList();
        // Offered and answered today from the event log, like the agents' report (the ACD's own counts start with the server).
        Map<Long, AgentFigures> agentsToday = new HashMap<>();
        jdbi.useHandle(h -> Reports.agentFigures(h, enterpriseId, q).values()
                .forEach(byAgent -> byAgent.forEach((id, f) -> agentsToday.merge(id, f, AgentFigures::plus))));
        List<AgentView> all = acd.agents(enterpriseId);
        List<Supervision.View> supervisions = supervision.list(enterpriseId);
        List<AgentView> agents = all.stream().map(a -> {
            AgentFigures f = agentsToday.getOrDefault(a.userId(), AgentFigures.ZERO);
            return new AgentView(a.userId(), a.name(), a.jobNumber(), a.extension(), a.state(), a.reason(), a.since(), a.device(), a.deviceNumber(),
                    a.callId(), (int) f.offered(), (int) f.answered(), a.missedInRow(), a.queues(), a.skills(), a.deviceReachable(),
                    supervising(a, supervisions, all));
        }).toList();
        List<Alert> alerts = new ArrayList<>(qs.alerts());
        alerts.addAll(agentAlerts(agents, s.rules(), now));
        alerts.addAll(otherAlerts.apply(enterpriseId));
        int onHold = (int) calls.stream().filter(CallNow::onHold).count();
        return new Snapshot(q.period().from().atZone(s.zone()).toLocalDate().toString(), Today.of(qs.total()), onHold, qs.queues(), agents, calls,
                supervisions, List.copyOf(alerts));
    }

    /**
     * SUP-1: what agent {@code a} supervises now (a supervisor is an agent too, whatever their state): the supervised agent,
     * the mode and whether the supervisor's phone still rings, from the supervisions in progress; null: none.
     */
    static AgentView.Supervising supervising(AgentView a, List<Supervision.View> supervisions, List<AgentView> agents) {
        for (Supervision.View v : supervisions) {
            if (v.supervisorUserId() != a.userId()) continue;
            AgentView of = agents.stream().filter(x -> x.userId() == v.agentUserId()).findFirst().orElse(null);
            return new AgentView.Supervising(v.callId(), v.agentUserId(), of == null ? null : of.name(), of == null ? null : of.jobNumber(),
                    v.mode(), v.state());
        }
        return null;
    }

    /** Snapshots built since the start (tests: the alert path builds none). */
    public long snapshotsBuilt() {
        return snapshotsBuilt.get();
    }

    /**
     * SUP-1 agent view: one agent's figures today from the event log (the agents report's, for the enterprise's day), in
     * seconds; occupancy and calls per hour as that report defines them.
     */
    public record AgentToday(long offered, long answered, long missed, long transfers, double talkSeconds, double holdSeconds,
                             Double ahtSeconds, double signedInSeconds, double readySeconds, double ringingSeconds, double onCallSeconds,
                             double wrapUpSeconds, double notReadySeconds, Map<String, Long> notReadyByReasonSeconds, Double occupancy,
                             Double callsPerHour) {
        static AgentToday of(AgentFigures f) {
            Map<String, Long> reasons = new java.util.TreeMap<>();
            f.notReadyByReason().forEach((k, v) -> reasons.put(k, v / 1000));
            return new AgentToday(f.offered(), f.answered(), f.missed(), f.transfers(), s(f.talkMs()), s(f.holdMs()), f.ahtSeconds(),
                    s(f.signedInMs()), s(f.readyMs()), s(f.ringingMs()), s(f.onCallMs()), s(f.wrapUpMs()), s(f.notReadyMs()), reasons, f.occupancy(), f.callsPerHour());
        }

        private static double s(long ms) {
            return Math.round(ms / 100.0) / 10.0;
        }
    }

    /** One change of the agent's state today: when, to what, why, until when (null while it lasts), who changed it. */
    public record StateChange(String state, String reason, String start, String end, Double seconds, String previous, String cause) {}

    /**
     * The agent view: the agent now, the call they are on (null: none), today's figures (the agents report's, counted up to
     * {@code at}) and state log, and what of those figures still runs after {@code at}: the state whose time grows and the
     * talk of the answered queue call so far, which the report counts only once it ended (the page adds the seconds since).
     */
    public record AgentNow(String day, AgentView agent, CallNow call, AgentToday today, List<StateChange> states, Instant at,
                           Reports.Running running) {}

    /** The agent view of {@code userId}, an agent of the enterprise (else not found). */
    public AgentNow agent(long enterpriseId, long userId) {
        List<AgentView> all = acd.agents(enterpriseId);
        AgentView found = all.stream().filter(x -> x.userId() == userId).findFirst().orElseThrow(() -> DomainException.notFound("agent"));
        AgentView a = found.supervising(supervising(found, supervision.list(enterpriseId), all));
        Instant now = clock.instant();
        ZoneId zone = settings(enterpriseId).zone();
        Period period = today(now, zone).period();
        LocalDate day = period.from().atZone(zone).toLocalDate();
        Reports.Query q = new Reports.Query(period, null, userId, now, reportZone);
        AgentFigures f = jdbi.withHandle(h -> Reports.agentFigures(h, enterpriseId, q)).values().stream()
                .map(byAgent -> byAgent.getOrDefault(userId, AgentFigures.ZERO)).reduce(AgentFigures.ZERO, AgentFigures::plus);
        // After the figures: what they counted up to now and still runs (a change written in between undercounts a moment).
        String callId = a.callId() != null ? a.callId() : book.live(enterpriseId).stream().filter(r -> Objects.equals(r.agentUserId(), userId))
                .map(dev.hotline.report.CallRecord::callId).findFirst().orElse(null);
        // The talk and hold of the call from memory, once: the call's onHold below is the same read (the agent's side).
        dev.hotline.report.QueueVisits.OpenTalk talk = book.openTalk(enterpriseId, callId);
        Reports.Running running = jdbi.withHandle(h -> Reports.running(h, enterpriseId, userId, talk, now));
        Reports.Query log = new Reports.Query(period, null, userId, now, reportZone, null, null, null, 1000, 0);
        List<StateChange> states = jdbi.withHandle(h -> ListReports.states(h, enterpriseId, log)).rows().stream()
                .map(r -> new StateChange((String) r.get("state"), (String) r.get("reason"), (String) r.get("start"), (String) r.get("end"),
                        r.get("stateDuration") == null ? null : ((Number) r.get("stateDuration")).doubleValue(), (String) r.get("previous"),
                        (String) r.get("cause")))
                .toList();
        Set<String> queued = new HashSet<>();
        acd.waiting(enterpriseId).forEach(w -> queued.add(w.callId()));
        CallNow call = book.live(enterpriseId).stream()
                .filter(r -> (a.callId() != null && a.callId().equals(r.callId())) || Objects.equals(r.agentUserId(), userId))
                .map(r -> new CallNow(r.callId(), r.direction(), r.caller(), r.callee(),
                        queued.contains(r.callId()) ? "queued" : r.answeredAt() != null ? "answered" : "ringing",
                        r.queue(), r.agentUserId(), r.agentJob(), r.startedAt(), r.answeredAt(),
                        talk != null && talk.agentUserId() == userId && r.callId().equals(callId) ? talk.onHold() : book.onHold(enterpriseId, r.callId())))
                .findFirst().orElse(null);
        return new AgentNow(day.toString(), a, call, AgentToday.of(f), states, now, running);
    }

    private static void above(List<Alert> out, String kind, String queue, double value, int amber, int red) {
        if (value >= red) out.add(new Alert(kind, queue, null, value, red, "red"));
        else if (value >= amber) out.add(new Alert(kind, queue, null, value, amber, "amber"));
    }

    /** The wallboard's view of the snapshot (queues and their alerts; no agent or caller). */
    public static Wallboard wallboard(Snapshot s) {
        return new Wallboard(s.day(), s.total(), s.queues(), s.alerts().stream().filter(a -> !a.kind().equals("agent_state") && !a.kind().equals("toll_limit")).toList());
    }

    /** Sends {@code sink} the enterprise's snapshot now and whenever it changes; the returned action ends that. */
    public Runnable subscribe(long enterpriseId, Sink sink) {
        return subscribe(enterpriseId, false, sink);
    }

    /** As {@link #subscribe(long, Sink)}, with the wallboard's view ({@link #wallboard}) when {@code wallboard}. */
    public Runnable subscribe(long enterpriseId, boolean wallboard, Sink sink) {
        Subscriber s = new Subscriber(enterpriseId, wallboard, null, sink);
        subscribers.add(s);
        ticker.execute(() -> {
            try {
                Snapshot snap = snapshot(enterpriseId);
                push(s, wallboard ? json(wallboard(snap)) : json(snap));
            } catch (RuntimeException e) {
                log.warn("monitor snapshot failed: {}", e.toString());
            }
        });
        return () -> subscribers.remove(s);
    }

    /**
     * The agent view of {@code userId} ({@link #agent}) to {@code sink} now and whenever the agent's state or call changes
     * (checked every {@link #TICK}; today's figures and the state log are read from the database then, again once the event
     * log has written the change, and every {@link #AGENT_REFRESH}); the returned action ends that. Not found: no such agent of the enterprise.
     */
    public Runnable subscribeAgent(long enterpriseId, long userId, Sink sink) {
        checkAgent(enterpriseId, userId);
        Subscriber s = new Subscriber(enterpriseId, false, userId, sink);
        subscribers.add(s);
        ticker.execute(() -> pushAgent(s, live(enterpriseId, userId)));
        return () -> subscribers.remove(s);
    }

    /** Not found unless {@code userId} is an agent of the enterprise. */
    public void checkAgent(long enterpriseId, long userId) {
        if (acd.agents(enterpriseId).stream().noneMatch(x -> x.userId() == userId)) throw DomainException.notFound("agent");
    }

    /** The agent's state, reason, state start and call as the ACD and the call book have them now (cheap: memory only). */
    private String live(long enterpriseId, long userId) {
        AgentView a = acd.agents(enterpriseId).stream().filter(x -> x.userId() == userId).findFirst().orElse(null);
        if (a == null) return "gone";
        String call = book.live(enterpriseId).stream()
                .filter(r -> (a.callId() != null && a.callId().equals(r.callId())) || Objects.equals(r.agentUserId(), userId))
                .map(r -> r.callId() + "/" + r.answeredAt() + "/held=" + book.onHold(enterpriseId, r.callId())).findFirst().orElse("");
        // A hold by the agent's side or its end changes it (the view shows it at once, from memory), so does a supervision's mode.
        String supervising = supervision.list(enterpriseId).stream().filter(v -> v.supervisorUserId() == userId).map(Supervision.View::toString)
                .findFirst().orElse("");
        return json(a) + call + supervising;
    }

    /** Builds and sends the agent view of {@code s} (on the monitor thread). */
    private void pushAgent(Subscriber s, String live) {
        if (!live.equals(s.lastLive)) s.awaitedLog = eventLog.appended();
        else if (s.awaitedLog > 0 && eventLog.settled() >= s.awaitedLog) s.awaitedLog = 0;
        s.lastLive = live;
        s.refreshAtNanos = System.nanoTime() + AGENT_REFRESH.toNanos();
        try {
            push(s, json(agent(s.enterpriseId, s.agentUserId)));
        } catch (DomainException e) {
            subscribers.remove(s); // the agent was deleted
            s.client.close().run();
        } catch (RuntimeException e) {
            log.warn("agent view of {} failed: {}", s.agentUserId, e.toString());
        }
    }

    /** Ends the enterprise's wallboard streams (their links were revoked). */
    public void dropWallboards(long enterpriseId) {
        for (Subscriber s : List.copyOf(subscribers)) {
            if (s.wallboard && s.enterpriseId == enterpriseId && subscribers.remove(s)) {
                try {
                    s.client.close().run();
                } catch (RuntimeException e) {
                    log.debug("closing a wallboard stream: {}", e.toString());
                }
            }
        }
    }

    /** Sends the listener's watchers their enterprise's alerts whenever those change (checked every {@link #TICK}). */
    public void alertsTo(AlertListener listener) {
        this.alertListener = listener;
    }

    /** Open streams (tests). */
    public int subscribers() {
        return subscribers.size();
    }

    private void tick() {
        try {
            Map<Long, Snapshot> byEnterprise = new HashMap<>();
            Map<Long, String> monitorJson = new HashMap<>();
            Map<Long, String> wallboardJson = new HashMap<>();
            for (Subscriber s : subscribers) {
                if (s.agentUserId != null) {
                    String live = live(s.enterpriseId, s.agentUserId);
                    boolean logCaughtUp = s.awaitedLog > 0 && eventLog.settled() >= s.awaitedLog;
                    if (s.last == null || !live.equals(s.lastLive) || logCaughtUp || System.nanoTime() - s.refreshAtNanos > 0) pushAgent(s, live);
                    else push(s, s.last); // keep-alive, or drop a closed stream
                    continue;
                }
                Snapshot snap = byEnterprise.computeIfAbsent(s.enterpriseId, this::snapshot);
                String j = s.wallboard ? wallboardJson.computeIfAbsent(s.enterpriseId, e -> json(wallboard(snap)))
                        : monitorJson.computeIfAbsent(s.enterpriseId, e -> json(snap));
                push(s, j);
            }
            AlertListener l = alertListener;
            if (l != null) {
                // Enterprises with a monitor open reuse its snapshot; the others get only what the alert rules need.
                Map<Long, List<Alert>> alerts = new HashMap<>();
                byEnterprise.forEach((e, snap) -> alerts.put(e, snap.alerts()));
                sendAlerts(l, alerts);
            }
        } catch (RuntimeException e) {
            log.warn("monitor tick failed: {}", e.toString());
        }
    }

    private void sendAlerts(AlertListener l, Map<Long, List<Alert>> byEnterprise) {
        List<AlertWatcher> watchers = l.watchers();
        alertsSent.keySet().retainAll(watchers.stream().map(AlertWatcher::key).toList());
        for (AlertWatcher w : watchers) {
            List<Alert> alerts = byEnterprise.computeIfAbsent(w.enterpriseId(), this::alerts);
            List<Alert> before = alertsSent.get(w.key());
            // Values move every second (the longest wait grows): a watcher is told only when an alert comes, goes or changes level.
            if (before != null && before.size() == alerts.size()
                    && alerts.stream().allMatch(a -> before.stream().anyMatch(b -> sameAlert(a, b)))) continue;
            List<Alert> raised = alerts.stream().filter(a -> before == null || before.stream().noneMatch(b -> sameAlert(a, b))).toList();
            alertsSent.put(w.key(), alerts);
            try {
                l.send(w, alerts, raised);
            } catch (RuntimeException e) {
                log.debug("sending alerts to {}: {}", w.key(), e.toString());
            }
        }
    }

    private static boolean sameAlert(Alert a, Alert b) {
        return a.kind().equals(b.kind()) && a.subject().equals(b.subject()) && Objects.equals(a.detail(), b.detail()) && a.level().equals(b.level());
    }

    private void push(Subscriber s, String json) {
        if (!s.client.open().getAsBoolean()) {
            subscribers.remove(s);
            return;
        }
        if (!json.equals(s.last)) {
            s.last = json;
            s.lastSentNanos = System.nanoTime();
            s.client.snapshot().accept(json);
        } else if (System.nanoTime() - s.lastSentNanos > KEEP_ALIVE.toNanos()) {
            s.lastSentNanos = System.nanoTime();
            s.client.keepAlive().run();
        }
    }

    private static String json(Object s) {
        try {
            return JsonMapper.MAPPER.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        subscribers.clear();
    }
}
