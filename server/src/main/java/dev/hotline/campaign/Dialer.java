package dev.hotline.campaign;

import dev.hotline.acd.Acd;
import dev.hotline.domain.DomainException;
import dev.hotline.engine.amd.AmdResult;
import dev.hotline.engine.amd.AmdStatus;
import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.CallerId;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.CollectEnd;
import dev.hotline.engine.call.DialRequest;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.engine.call.PlaybackRequest;
import dev.hotline.engine.media.AudioClip;
import dev.hotline.engine.tts.Language;
import dev.hotline.ivr.Ivr;
import dev.hotline.report.CallLogEvent;
import dev.hotline.routing.CallBook;
import dev.hotline.routing.OutboundPlan;
import dev.hotline.routing.RoutingData;
import dev.hotline.sms.Sms;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dialer (OUT-1, OUT-3): places the calls of running progressive and predictive campaigns and follows them to their
 * outcome. Everything runs on its own thread ("hotline-dialer"): engine events are handed to it by {@link #onEvent} (which
 * only looks up a map), so neither the SIP nor the media threads ever wait for it or for the database; it waits for the
 * database and for the ACD's thread, never the reverse.
 *
 * <p>Every {@link #TICK} each running campaign, inside its calling windows, asks the ACD for its agents. No agent signed in:
 * nothing is dialled (Issabel callcenter#49). Progressive: each free agent is held for the campaign ({@link Acd#reserve})
 * and one due number dialled for them. Predictive: {@link Pacing#predictive} says how many numbers to dial from the
 * measured answer rate, answer delay, handle time and the agents about to be free. An answered number is offered to its
 * held agent, else to any free agent of the campaign; none within {@link #AGENT_WAIT}: the call is abandoned, hears a short
 * message naming the enterprise and is hung up. Each attempt and outcome is written to the event log and the number's state
 * ({@link Retries}).
 *
 * <p>SMS campaigns (MSG-3) place no call: every tick queues the SMS of the due numbers its rate allows (messages a minute,
 * spread evenly; at most {@link #SMS_BATCH} a tick) through {@link Sms} (its quotas: a quota used up leaves the rest pending
 * until it allows more). A calling campaign with an SMS
 * queues it after the outcomes it names, in the transaction that records the outcome, at most once per number.
 */
public final class Dialer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Dialer.class);
    static final Duration TICK = Duration.ofMillis(500);
    /** An answered person finds an agent within this or the call is abandoned (OUT-1). */
    static final Duration AGENT_WAIT = Duration.ofSeconds(2);
    private static final Duration AGENT_RETRY = Duration.ofMillis(200);
    /** An abandoned call is hung up after its message, or after this at the latest. */
    private static final Duration ABANDON_HANGUP = Duration.ofSeconds(15);
    /** A notification waits this long for a key after each playing of its message. */
    static final Duration KEY_WAIT = Duration.ofSeconds(5);
    /** Mean handle time assumed before one is measured (talk, seconds). */
    private static final double DEFAULT_HANDLE_SECONDS = 120;
    /** An SMS campaign queues at most this many messages a tick (its rate, {@link CampaignSettings.Sms#perMinute}, may allow fewer). */
    static final int SMS_BATCH = 100;

    /**
     * What the campaign view shows of a campaign's dialling (OUT-1 item 2): the dial level and why, since when that reason
     * holds, calls in flight, agents, the measured answer rate, and the abandon rate over the rolling 24 hours and 30 days.
     */
    public record Live(String state, double dialLevel, String reason, Instant reasonSince, String lastChange, int inFlight, int agentsSignedIn,
                       int agentsFree, long dials, long personAnswers, double answerRate, long answers24h, long abandons24h, double abandonRate24h,
                       long answers30d, long abandons30d, double abandonRate30d) {}

    private final Jdbi jdbi;
    private final Acd acd;
    private final CallBook book;
    private final RoutingData routing;
    private final Ivr ivr;
    private final Sms sms;
    private final Clock clock;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hotline-dialer");
        t.setDaemon(true);
        return t;
    });
    /** Leg id → its attempt: read by the engine's threads to hand the leg's events over, written by the dialer's thread. */
    private final Map<String, Attempt> legs = new ConcurrentHashMap<>();
    /** Campaigns seen running, by id (dialer thread only). */
    private final Map<Long, Run> runs = new HashMap<>();
    private volatile Map<Long, Live> published = Map.of();

    public Dialer(Jdbi jdbi, Acd acd, CallBook book, RoutingData routing, Ivr ivr, Sms sms, Clock clock) {
        this.jdbi = jdbi;
        this.sms = sms;
        this.acd = acd;
        this.book = book;
        this.routing = routing;
        this.ivr = ivr;
        this.clock = clock;
    }

    /** Numbers a stop left dialling are pending again; then the campaigns are looked at every {@link #TICK}. */
    public void start() {
        int released = jdbi.withHandle(h -> CampaignStore.releaseDialling(h, clock.instant()));
        if (released > 0) log.info("{} campaign number(s) left dialling by the last run are pending again", released);
        thread.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A campaign was started, paused or stopped: looked at now rather than at the next tick. */
    public void changed() {
        thread.execute(this::tick);
    }

    /** Every engine event (from the switchboard): those of the dialer's legs go to its thread. */
    public void onEvent(CallEvent e) {
        Attempt a = legs.get(e.channelId());
        if (a != null) thread.execute(() -> handle(a, e));
    }

    /** The next record a preview campaign shows an agent (OUT-1 preview): the number, its name and the list's columns. */
    public record PreviewRecord(long campaignId, String campaign, long contactId, String number, String name, Map<String, String> vars,
                                int attempts) {}

    /**
     * The next due record of a running preview campaign of the agent's (inside its windows), while the agent is free; empty
     * otherwise. Nothing is taken: the record is taken when the agent dials or skips it.
     */
    public Optional<PreviewRecord> nextPreview(long enterpriseId, long userId) {
        return onThread(() -> {
            Instant now = clock.instant();
            for (Run run : runs.values()) {
                if (!run.running || run.enterpriseId != enterpriseId || run.campaign.mode() != DialMode.PREVIEW) continue;
                CampaignSettings s = run.campaign.settings();
                if (!CallingWindows.of(s).open(now)) continue;
                if (!acd.pool(enterpriseId, s.agentIds(), s.queueId(), run.holder).free().contains(userId)) continue;
                List<CampaignStore.Contact> due = jdbi.withHandle(h -> CampaignStore.due(h, run.id, now, 1));
                if (due.isEmpty()) continue;
                CampaignStore.Contact c = due.get(0);
                return Optional.of(new PreviewRecord(run.id, run.campaign.name(), c.id(), c.number(), c.name(), c.vars(), c.attempts()));
            }
            return Optional.empty();
        });
    }

    /**
     * The agent dials ({@code dial}) or skips a preview record. Dial: the agent is held for the number, which the server dials
     * through the campaign's trunk or route; the answer is connected to the agent. Refused (409) when the record is no longer
     * due or the agent is not free; 404 for a campaign or number that is not a running preview campaign's of the enterprise.
     */
    public void preview(long enterpriseId, long userId, long campaignId, long contactId, boolean dial) {
        onThread(() -> {
            Run run = runs.get(campaignId);
            if (run == null || run.enterpriseId != enterpriseId || run.campaign.mode() != DialMode.PREVIEW) {
                throw DomainException.notFound("preview campaign");
            }
            if (!run.running) throw DomainException.conflict("the campaign is not running");
            CampaignSettings s = run.campaign.settings();
            Instant now = clock.instant();
            CampaignStore.Contact c = jdbi.withHandle(h -> CampaignStore.contact(h, contactId)).filter(x -> run.id == campaignOf(x))
                    .orElseThrow(() -> DomainException.notFound("number"));
            if (dial) {
                if (!CallingWindows.of(s).open(now)) throw DomainException.conflict("outside the campaign's calling windows");
                List<Long> held = acd.reserve(enterpriseId, List.of(userId), null, run.holder, 1);
                if (held.isEmpty()) throw DomainException.conflict("the agent is not ready for a call");
                List<CampaignStore.Contact> taken = jdbi.inTransaction(h -> CampaignStore.onDnc(h, enterpriseId, c.number()) || !CampaignStore.claim(h, c.id(), now)
                        ? List.<CampaignStore.Contact>of() : List.of(c));
                if (taken.isEmpty()) {
                    acd.release(enterpriseId, userId, run.holder);
                    throw DomainException.conflict("the number is no longer due (taken, or on the do-not-call list)");
                }
                place(run, c, userId, now);
            } else {
                if (!jdbi.withHandle(h -> CampaignStore.claim(h, c.id(), now))) throw DomainException.conflict("the number is no longer due");
                Attempt a = new Attempt(run, c, now);
                a.callId = "campaign-" + run.id + "-" + c.id() + "-" + a.attempt;
                outcome(a, Outcome.SKIPPED, "reason=agent_skipped agent=" + userId);
            }
            return null;
        });
    }

    private long campaignOf(CampaignStore.Contact c) {
        return jdbi.withHandle(h -> CampaignStore.campaignOfContact(h, c.id()));
    }

    /** Runs {@code task} on the dialer's thread and waits for it; a domain refusal comes back as it was thrown. */
    private <T> T onThread(Callable<T> task) {
        try {
            return thread.submit(task).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the dialer did not answer within 10 s", e);
        }
    }

    /** The campaign's dialling now, if the dialer has seen it running since the start. */
    public Optional<Live> live(long campaignId) {
        return Optional.ofNullable(published.get(campaignId));
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }

    // ================================================================ one campaign's dialling state (dialer thread)

    private static final class Run {
        final long enterpriseId;
        final long id;
        final String holder;
        final String enterpriseName;
        final AbandonWindows windows = new AbandonWindows();
        final Set<Attempt> ringing = new LinkedHashSet<>();
        /** Every call of the campaign from its dialling to its hang-up (notification campaigns place up to their lines). */
        final Set<Attempt> calls = new LinkedHashSet<>();
        Campaign campaign;
        boolean running;
        int callerIdTurn;
        long dials;
        long personAnswers;
        double answerDelaySum;
        long handled;
        double handleSum;
        double level;
        String reason = "starting";
        String reasonKind = "starting";
        Instant reasonSince;
        String lastChange;
        int agentsSignedIn;
        int agentsFree;
        CompletableFuture<AudioClip> abandonMessage;
        /** MSG-3: SMS the campaign may queue now (its rate a minute, refilled every tick, at most a second's worth saved up). */
        double smsAllowance = -1;
        Instant smsRefilledAt;

        Run(long enterpriseId, Campaign campaign, String enterpriseName, Instant now) {
            this.enterpriseId = enterpriseId;
            this.id = campaign.id();
            this.holder = "campaign:" + campaign.id();
            this.campaign = campaign;
            this.enterpriseName = enterpriseName;
            this.reasonSince = now;
        }

        String label() {
            return "campaign:" + campaign.name();
        }
    }

    /** One call to one number (dialer thread only). */
    private static final class Attempt {
        final Run run;
        final CampaignStore.Contact contact;
        final int attempt;
        final Instant dialledAt;
        /** The agent held for this number (progressive), let go when it does not answer. */
        Long heldAgent;
        Channel leg;
        String callId;
        Instant answeredAt;
        /** From when the 2 s for an agent count: the answer, or the detector's decision that a person answered. */
        Instant waitFrom;
        /** The answering-machine detector's result (null: not run, or not decided yet). */
        AmdResult amd;
        /** The message left on a machine after its beep, rendered while the detector listens. */
        CompletableFuture<PlaybackRequest.Item> machineMessage;
        /** Notification campaigns: the number's message, rendered from the dialling on; how often it was played; the key's answer. */
        CompletableFuture<PlaybackRequest.Item> message;
        boolean notifying;
        int plays;
        String playbackId;
        String answerKey;
        String answer;
        boolean leavingMessage;
        Long agent;
        Instant bridgedAt;
        Outcome outcome;
        boolean abandoning;
        ScheduledFuture<?> timer;

        Attempt(Run run, CampaignStore.Contact contact, Instant dialledAt) {
            this.run = run;
            this.contact = contact;
            this.attempt = contact.attempts() + 1;
            this.dialledAt = dialledAt;
        }
    }

    // ================================================================ the tick

    private void tick() {
        try {
            Instant now = clock.instant();
            List<CampaignStore.Running> running = jdbi.withHandle(CampaignStore::running);
            Set<Long> ids = new LinkedHashSet<>();
            for (CampaignStore.Running r : running) {
                ids.add(r.campaign().id());
                Run run = runs.get(r.campaign().id());
                if (run == null) {
                    run = open(r, now);
                    runs.put(run.id, run);
                }
                run.campaign = r.campaign();
                run.running = true;
            }
            for (Run run : runs.values()) {
                if (!ids.contains(run.id)) {
                    run.running = false;
                    decide(run, 0, "paused or stopped: not dialling", now);
                }
            }
            for (Run run : runs.values()) {
                if (!run.running) continue;
                try {
                    dial(run, now);
                } catch (RuntimeException e) {
                    log.error("campaign {}: dialling failed", run.id, e);
                }
            }
            publish(now);
        } catch (RuntimeException e) {
            log.error("dialer tick failed", e);
        }
    }

    /** A campaign seen running for the first time: its abandon windows from the event log, its abandon message rendered. */
    private Run open(CampaignStore.Running r, Instant now) {
        var history = jdbi.withHandle(h -> CampaignStore.personAnswers(h, r.enterpriseId(), r.campaign().id(),
                now.minusMillis(AbandonWindows.MONTH_MS)));
        String name = jdbi.withHandle(h -> CampaignStore.enterpriseName(h, r.enterpriseId()));
        Run run = new Run(r.enterpriseId(), r.campaign(), name, now);
        for (var en : history) run.windows.answered(en.getKey().toEpochMilli(), en.getValue());
        run.abandonMessage = ivr.speak(abandonText(name), Language.ZH);
        return run;
    }

    /** What an abandoned call hears: the enterprise's name, that it will be called again. */
    static String abandonText(String enterprise) {
        return "您好，这里是" + enterprise + "。很抱歉，现在没有坐席可以接听，我们稍后再与您联系。再见。";
    }

    private void dial(Run run, Instant now) {
        CampaignSettings s = run.campaign.settings();
        DialMode mode = run.campaign.mode();
        if (mode == DialMode.PREVIEW) {
            decide(run, 0, "preview: the agents dial the numbers from their desk", now);
            return;
        }
        CallingWindows windows = CallingWindows.of(s);
        if (!windows.open(now)) {
            decide(run, 0, "outside the calling windows: the next opens at " + windows.nextOpen(now), now);
            return;
        }
        if (mode == DialMode.NOTIFICATION) {
            dialNotifications(run, now);
            return;
        }
        if (mode == DialMode.SMS) {
            sendSms(run, now);
            return;
        }
        Acd.Pool pool = acd.pool(run.enterpriseId, s.agentIds(), s.queueId(), run.holder);
        run.agentsSignedIn = pool.signedIn();
        run.agentsFree = pool.free().size();
        if (pool.signedIn() == 0) {
            decide(run, 0, "stopped: no agent of the campaign is signed in, not dialling", now);
            return;
        }
        if (mode == DialMode.PROGRESSIVE) {
            int ready = pool.free().size() + pool.held().size();
            if (ready == 0) {
                decide(run, 0, "waiting: no agent of the campaign is ready", now);
                return;
            }
            List<Long> held = pool.free().isEmpty() ? List.of()
                    : acd.reserve(run.enterpriseId, s.agentIds(), s.queueId(), run.holder, pool.free().size());
            List<CampaignStore.Contact> due = held.isEmpty() ? List.of() : claimDue(run, held.size(), now);
            for (int i = 0; i < held.size(); i++) {
                if (i < due.size()) place(run, due.get(i), held.get(i), now);
                else acd.release(run.enterpriseId, held.get(i), run.holder);
            }
            decide(run, run.ringing.size() / (double) ready, due.isEmpty() && !held.isEmpty() && run.ringing.isEmpty()
                    ? "waiting: no number of the list is due now" : "progressive: one call per ready agent", now);
            return;
        }
        Pacing.Snapshot snap = snapshot(run, pool, now);
        Pacing.Decision d = Pacing.predictive(snap);
        List<CampaignStore.Contact> due = d.dial() == 0 ? List.of() : claimDue(run, d.dial(), now);
        for (CampaignStore.Contact c : due) place(run, c, null, now);
        decide(run, d.level(), d.reason(), now);
    }

    /** Notification (OUT-2): no agent is needed; due numbers are dialled while fewer than the campaign's lines are in calls. */
    private void dialNotifications(Run run, Instant now) {
        int lines = run.campaign.settings().notification().linesOrDefault();
        int free = lines - run.calls.size();
        List<CampaignStore.Contact> due = free <= 0 ? List.of() : claimDue(run, free, now);
        for (CampaignStore.Contact c : due) place(run, c, null, now);
        decide(run, run.calls.size() / (double) lines, due.isEmpty() && run.calls.isEmpty() ? "waiting: no number of the list is due now"
                : "notification: up to " + lines + " calls at once, no agent needed", now);
    }

    /**
     * SMS campaigns (MSG-3): as many due numbers as the campaign's rate allows this tick ({@link #smsAllowed}) get the
     * campaign's SMS queued, each number done with outcome {@code sms} in the same transaction; a number on the
     * do-not-call list is skipped; a quota used up stops the batch and leaves the numbers pending.
     */
    private void sendSms(Run run, Instant now) {
        CampaignSettings.Sms s = run.campaign.settings().sms();
        int perMinute = s.perMinuteOrDefault();
        int allowed = smsAllowed(run, perMinute, now);
        if (allowed == 0) {
            decide(run, 0, "sms: " + perMinute + " a minute", now);
            return;
        }
        List<CallLogEvent.CampaignOutcome> events = new ArrayList<>();
        String refused = jdbi.inTransaction(h -> {
            for (CampaignStore.Contact c : CampaignStore.due(h, run.id, now, allowed)) {
                if (CampaignStore.onDnc(h, run.enterpriseId, c.number())) {
                    if (!CampaignStore.claim(h, c.id(), now)) continue;
                    finishNow(h, c, Outcome.SKIPPED, new Retries.Next("skipped", null), now);
                    events.add(new CallLogEvent.CampaignOutcome(run.enterpriseId, "campaign-" + run.id + "-" + c.id(), now, null, run.id, c.id(),
                            c.number(), Outcome.SKIPPED.key(), "reason=do_not_call"));
                    continue;
                }
                Sms.CampaignSms queued = sms.queueForCampaign(h, run.enterpriseId, c.number(), s.templateId(), s.text(), variables(c), false);
                if (queued.messageId() == null) return queued.refused();
                if (!CampaignStore.claim(h, c.id(), now)) continue;
                finishNow(h, c, Outcome.SMS, new Retries.Next("done", null), now);
                CampaignStore.sms(h, c.id(), queued.messageId());
                events.add(new CallLogEvent.CampaignOutcome(run.enterpriseId, "campaign-" + run.id + "-" + c.id(), now, null, run.id, c.id(),
                        c.number(), Outcome.SMS.key(), "sms=" + queued.messageId()));
            }
            return null;
        });
        events.forEach(book::log);
        run.dials += events.size();
        run.smsAllowance -= events.stream().filter(e -> Outcome.SMS.key().equals(e.outcome())).count();
        if (refused != null) {
            decide(run, 0, "waiting: " + refused, now);
        } else {
            decide(run, 0, events.isEmpty() ? "waiting: no number of the list is due now" : "sms: the numbers' SMS queued, " + perMinute + " a minute", now);
        }
    }

    /**
     * How many SMS the campaign may queue now: its allowance grows by {@code perMinute} a minute (from the last tick) up to
     * a second's worth (at least 1), so that the messages go out evenly; a new run starts with a full allowance.
     */
    private static int smsAllowed(Run run, int perMinute, Instant now) {
        double most = Math.max(1, perMinute / 60.0);
        if (run.smsAllowance < 0 || run.smsRefilledAt == null) {
            run.smsAllowance = most;
        } else {
            double seconds = Math.max(0, Duration.between(run.smsRefilledAt, now).toMillis() / 1000.0);
            run.smsAllowance = Math.min(most, run.smsAllowance + perMinute / 60.0 * seconds);
        }
        run.smsRefilledAt = now;
        return (int) Math.min(SMS_BATCH, Math.floor(run.smsAllowance));
    }

    private static void finishNow(org.jdbi.v3.core.Handle h, CampaignStore.Contact c, Outcome o, Retries.Next next, Instant now) {
        Map<String, Integer> counts = new LinkedHashMap<>(c.outcomes());
        counts.merge(o.key(), 1, Integer::sum);
        CampaignStore.finish(h, c.id(), o, next, counts, now);
    }

    /** A number's SMS variables: its name and the list's other columns. */
    private static Map<String, String> variables(CampaignStore.Contact c) {
        Map<String, String> vars = new HashMap<>(c.vars());
        if (c.name() != null) vars.put("name", c.name());
        return vars;
    }

    /** Whether a calling campaign's SMS goes after this outcome (or after the number's last attempt, "exhausted"). */
    static boolean smsAfter(CampaignSettings.Sms s, Outcome o, Retries.Next next) {
        if (s == null || s.on() == null) return false;
        return s.on().contains(o.key()) || ("exhausted".equals(next.state()) && s.on().contains("exhausted"));
    }

    /** What pacing needs: agents, their expected remaining handle time, calls ringing, measured rates, the abandon windows. */
    private Pacing.Snapshot snapshot(Run run, Acd.Pool pool, Instant now) {
        double handle = run.handled == 0 ? DEFAULT_HANDLE_SECONDS : run.handleSum / run.handled;
        double[] remaining = new double[pool.busySeconds().length];
        for (int i = 0; i < remaining.length; i++) remaining[i] = Math.max(0, handle - pool.busySeconds()[i]);
        double answerRate = run.dials == 0 ? 0 : run.personAnswers / (double) run.dials;
        double delay = run.personAnswers == 0 ? 10 : run.answerDelaySum / run.personAnswers;
        AbandonWindows.Counts w = run.windows.counts(now.toEpochMilli());
        return new Pacing.Snapshot(pool.free().size(), remaining, run.ringing.size(), answerRate, delay, w.answers24h(), w.abandons24h(),
                w.answers30d(), w.abandons30d(), run.personAnswers);
    }

    /** The dial level and reason of this tick; a new kind of reason (warm-up, pacing, brake, stopped, ...) is a change, kept with its time. */
    private void decide(Run run, double level, String reason, Instant now) {
        String kind = reason.contains(":") ? reason.substring(0, reason.indexOf(':')) : reason;
        if (!kind.equals(run.reasonKind)) {
            run.lastChange = now + " " + run.reasonKind + " → " + kind + ": " + reason;
            run.reasonKind = kind;
            run.reasonSince = now;
        }
        run.level = level;
        run.reason = reason;
    }

    private void publish(Instant now) {
        Map<Long, Live> out = new LinkedHashMap<>();
        for (Run r : runs.values()) {
            AbandonWindows.Counts w = r.windows.counts(now.toEpochMilli());
            out.put(r.id, new Live(r.running ? "running" : "idle", r.level, r.reason, r.reasonSince, r.lastChange, r.ringing.size(),
                    r.agentsSignedIn, r.agentsFree, r.dials, r.personAnswers, r.dials == 0 ? 0 : r.personAnswers / (double) r.dials,
                    w.answers24h(), w.abandons24h(), w.rate24h(), w.answers30d(), w.abandons30d(), w.rate30d()));
        }
        published = Map.copyOf(out);
    }

    /** Up to {@code n} due numbers taken for an attempt; a number on the do-not-call list now is skipped, not dialled. */
    private List<CampaignStore.Contact> claimDue(Run run, int n, Instant now) {
        return jdbi.inTransaction(h -> {
            List<CampaignStore.Contact> out = new ArrayList<>();
            for (CampaignStore.Contact c : CampaignStore.due(h, run.id, now, n)) {
                if (!CampaignStore.claim(h, c.id(), now)) continue;
                if (CampaignStore.onDnc(h, run.enterpriseId, c.number())) {
                    Map<String, Integer> counts = new LinkedHashMap<>(c.outcomes());
                    counts.merge(Outcome.SKIPPED.key(), 1, Integer::sum);
                    CampaignStore.finish(h, c.id(), Outcome.SKIPPED, new Retries.Next("skipped", null), counts, now);
                    book.log(new CallLogEvent.CampaignOutcome(run.enterpriseId, "campaign-" + run.id + "-" + c.id(), now, null, run.id, c.id(),
                            c.number(), Outcome.SKIPPED.key(), "reason=do_not_call"));
                    continue;
                }
                out.add(c);
            }
            return out;
        });
    }

    /** Dials one number through the campaign's trunk or route, showing the next caller ID of its pool. */
    private void place(Run run, CampaignStore.Contact contact, Long heldAgent, Instant now) {
        CampaignSettings s = run.campaign.settings();
        Attempt a = new Attempt(run, contact, now);
        a.heldAgent = heldAgent;
        run.dials++;
        OutboundPlan plan = routing.planThrough(run.enterpriseId, s.trunkId(), s.outboundRouteId(), contact.number());
        if (plan.refused()) {
            a.callId = "campaign-" + run.id + "-" + contact.id() + "-" + a.attempt;
            outcome(a, Outcome.FAILED, "reason=" + plan.error().replace(' ', '_'));
            return;
        }
        if (run.campaign.mode() == DialMode.NOTIFICATION) {
            a.message = NotificationMessage.render(ivr, run.enterpriseId, s.notification(), contact); // ready by the answer
        }
        String callerId = s.callerIds().get(Math.floorMod(run.callerIdTurn++, s.callerIds().size()));
        DialRequest req = DialRequest.to(plan.target()).withCallerId(CallerId.of(callerId))
                .withTimeout(Duration.ofSeconds(s.ringSecondsOrDefault()));
        try {
            routing.engine().originate(req, leg -> {
                a.leg = leg;
                a.callId = leg.id();
                legs.put(leg.id(), a);
                CallBook.Call c = book.begin(run.enterpriseId, leg, "outbound", callerId, contact.number(), plan.trunk().name(), null);
                book.record(c, new CallLogEvent.CampaignAttempt(run.enterpriseId, c.callId(), now, leg.id(), run.id, contact.id(),
                        contact.number(), a.attempt, run.campaign.mode().key()));
            });
            run.ringing.add(a);
            run.calls.add(a);
        } catch (RuntimeException e) {
            log.warn("campaign {}: cannot dial {}: {}", run.id, contact.number(), e.toString());
            if (a.callId == null) a.callId = "campaign-" + run.id + "-" + contact.id() + "-" + a.attempt;
            if (a.leg != null) legs.remove(a.leg.id());
            outcome(a, Outcome.FAILED, "reason=originate");
        }
    }

    // ================================================================ the calls' events (dialer thread)

    private void handle(Attempt a, CallEvent e) {
        try {
            Instant now = clock.instant();
            if (e instanceof CallEvent.ChannelAnswered) {
                answered(a, now);
            } else if (e instanceof CallEvent.ChannelBridged) {
                if (a.bridgedAt == null && a.outcome == null) {
                    a.bridgedAt = now;
                    outcome(a, Outcome.ANSWERED, "agent=" + a.agent + " waitMs=" + Duration.between(a.waitFrom, now).toMillis() + amdDetail(a));
                }
            } else if (e instanceof CallEvent.PlaybackFinished p) {
                if (a.abandoning || a.leavingMessage) {
                    a.leg.hangup(HangupCause.NORMAL_CLEARING);
                } else if (a.notifying && a.outcome == null && p.playbackId().equals(a.playbackId)) {
                    a.leg.collectDigits(1, (char) 0, KEY_WAIT, KEY_WAIT); // a key pressed during the message counts first
                }
            } else if (e instanceof CallEvent.DigitsCollected d) {
                if (a.notifying && a.outcome == null) keyed(a, d);
            } else if (e instanceof CallEvent.ChannelHungUp h) {
                hungUp(a, h, now);
            }
        } catch (RuntimeException ex) {
            log.error("campaign {}: event {} of {} failed", a.run.id, e.getClass().getSimpleName(), a.contact.number(), ex);
        }
    }

    private void answered(Attempt a, Instant now) {
        if (a.answeredAt != null) return;
        a.answeredAt = now;
        a.run.ringing.remove(a);
        a.run.answerDelaySum += Duration.between(a.dialledAt, now).toMillis() / 1000.0;
        CampaignSettings.Amd amd = a.run.campaign.settings().amd();
        if (amd == null || !amd.enabled()) {
            a.waitFrom = now;
            serve(a);
            return;
        }
        // Answering-machine detection first (the held agent stays held); a message for machines is rendered meanwhile.
        // A notification campaign with no message of its own for machines leaves its notification.
        if ("message".equals(amd.action()) && amd.message() != null) {
            String text = MachineDetection.fill(amd.message(), a.contact);
            a.machineMessage = ivr.speak(text, NotificationMessage.language(text)).thenApply(PlaybackRequest.Item.Clip::new);
        } else if ("message".equals(amd.action())) {
            a.machineMessage = a.message;
        }
        a.leg.detectMachine(MachineDetection.params(amd)).whenComplete((r, err) -> thread.execute(() -> detected(a, amd, r, err)));
    }

    /** The detector decided: a person (or not sure) goes to an agent; a machine gets the campaign's action. */
    private void detected(Attempt a, CampaignSettings.Amd amd, AmdResult r, Throwable err) {
        if (a.outcome != null || !legs.containsKey(a.leg.id())) {
            a.amd = r;
            return;
        }
        Instant now = clock.instant();
        a.waitFrom = now;
        if (err != null || r == null) {
            log.warn("campaign {}: machine detection on {} failed: {}", a.run.id, a.contact.number(), String.valueOf(err));
            serve(a);
            return;
        }
        a.amd = r;
        if (r.status() != AmdStatus.MACHINE || "agent".equals(amd.action())) {
            serve(a);
            return;
        }
        if (a.heldAgent != null) acd.release(a.run.enterpriseId, a.heldAgent, a.run.holder);
        CompletableFuture<PlaybackRequest.Item> message = a.machineMessage;
        if ("message".equals(amd.action()) && message != null) {
            // Detection ended after the beep (or after waiting for it): the message is left now, then the call ends.
            a.leavingMessage = true;
            message.whenComplete((clip, e2) -> thread.execute(() -> {
                if (!legs.containsKey(a.leg.id())) return;
                if (clip == null) {
                    a.leg.hangup(HangupCause.NORMAL_CLEARING);
                    return;
                }
                a.leg.play(new PlaybackRequest(List.of(clip), false, false));
                a.timer = thread.schedule(() -> a.leg.hangup(HangupCause.NORMAL_CLEARING), 60, TimeUnit.SECONDS);
            }));
            outcome(a, Outcome.MACHINE, "action=message" + amdDetail(a));
        } else {
            a.leg.hangup(HangupCause.NORMAL_CLEARING);
            outcome(a, Outcome.MACHINE, "action=hangup" + amdDetail(a));
        }
    }

    /** The detector's raw measures, kept with the outcome in the call's events. */
    private static String amdDetail(Attempt a) {
        AmdResult r = a.amd;
        if (r == null) return "";
        return " amd=" + r.status() + " amdCause=" + r.cause() + " decidedMs=" + r.decidedAtMs() + " initialSilenceMs=" + r.initialSilenceMs()
                + " greetingMs=" + r.greetingMs() + " words=" + r.wordCount() + " wordLengthsMs=" + r.wordLengthsMs().toString().replace(" ", "")
                + " totalMs=" + r.totalMs() + (r.beepFound() ? " beepStartMs=" + r.beepStartMs() + " beepEndMs=" + r.beepEndMs()
                + " beepHz=" + r.beepHz() : "");
    }

    /** A person answered: a notification campaign's message, else an agent. */
    private void serve(Attempt a) {
        if (a.run.campaign.mode() == DialMode.NOTIFICATION) notify(a);
        else toAgent(a);
    }

    // ---------------------------------------------------------------- notification campaigns (OUT-2)

    /** Plays the number's message (a key stops it); after it, a key is waited for ({@link #KEY_WAIT}). */
    private void notify(Attempt a) {
        if (a.outcome != null || !legs.containsKey(a.leg.id())) return;
        a.notifying = true;
        a.message.whenComplete((item, err) -> thread.execute(() -> {
            if (a.outcome != null || !legs.containsKey(a.leg.id())) return;
            if (item == null) {
                log.warn("campaign {}: the message for {} could not be made: {}", a.run.id, a.contact.number(), String.valueOf(err));
                a.leg.hangup(HangupCause.NORMAL_CLEARING);
                outcome(a, Outcome.FAILED, "reason=message_unavailable");
                return;
            }
            playMessage(a, item);
        }));
    }

    private void playMessage(Attempt a, PlaybackRequest.Item item) {
        a.plays++;
        a.playbackId = a.leg.play(new PlaybackRequest(List.of(item), false, true)).id();
    }

    /**
     * A key (or none) after the message: an answer of the campaign's keys ends the call (confirm, refuse) or queues it to the
     * campaign's queue (agent); none or another key plays the message again while it was played fewer than {@code repeat}
     * times, else the call ends with no answer.
     */
    private void keyed(Attempt a, CallEvent.DigitsCollected d) {
        if (d.end() == CollectEnd.HANGUP || d.end() == CollectEnd.CANCELLED) return;
        CampaignSettings.Notification n = a.run.campaign.settings().notification();
        String key = d.digits().isEmpty() ? null : d.digits().substring(0, 1);
        String answer = key == null ? null : n.keysOrDefault().get(key);
        if (answer == null) {
            if (a.plays < n.repeatOrDefault()) {
                playMessage(a, a.message.join());
                return;
            }
            notified(a, key, "none", "");
            a.leg.hangup(HangupCause.NORMAL_CLEARING);
            return;
        }
        if (!"agent".equals(answer)) {
            notified(a, key, answer, "");
            a.leg.hangup(HangupCause.NORMAL_CLEARING);
            return;
        }
        Long queueId = a.run.campaign.settings().queueId();
        String queue = queueId == null ? null : jdbi.withHandle(h -> CampaignStore.queueName(h, a.run.enterpriseId, queueId)).orElse(null);
        boolean queued = queue != null && acd.enqueue(a.run.enterpriseId, a.callId, a.leg, a.contact.number(), queue, 0, false);
        notified(a, key, answer, " queue=" + (queued ? queue.replace(' ', '_') : "none"));
        if (!queued) a.leg.hangup(HangupCause.NORMAL_CLEARING);
    }

    /** The number's answer: outcome answered with the key, the answer and how often the message was played. */
    private void notified(Attempt a, String key, String answer, String more) {
        a.answerKey = key;
        a.answer = answer;
        outcome(a, Outcome.ANSWERED, "key=" + (key == null ? "none" : key) + " answer=" + answer + " plays=" + a.plays + more + amdDetail(a));
    }

    /** The answered number to its held agent or any free one; tried again until {@link #AGENT_WAIT}, then abandoned. */
    private void toAgent(Attempt a) {
        if (a.outcome != null || a.agent != null || !legs.containsKey(a.leg.id())) return;
        CampaignSettings s = a.run.campaign.settings();
        Optional<Long> to = acd.connectCampaignCall(a.run.enterpriseId, a.callId, a.leg, a.contact.number(), s.agentIds(), s.queueId(),
                a.run.holder, a.heldAgent, a.run.label());
        if (to.isPresent()) {
            a.agent = to.get();
            if (a.heldAgent != null && !a.heldAgent.equals(a.agent)) acd.release(a.run.enterpriseId, a.heldAgent, a.run.holder);
            return;
        }
        Instant now = clock.instant();
        if (Duration.between(a.waitFrom, now).compareTo(AGENT_WAIT) >= 0) {
            abandon(a, now);
        } else {
            a.timer = thread.schedule(() -> toAgent(a), AGENT_RETRY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** No agent within 2 s: the person hears the enterprise's short message and is hung up; counted in the abandon rate. */
    private void abandon(Attempt a, Instant now) {
        CompletableFuture<AudioClip> message = a.run.abandonMessage;
        if (message != null && message.isDone() && !message.isCompletedExceptionally()) {
            a.abandoning = true;
            a.leg.play(new PlaybackRequest(List.of(new PlaybackRequest.Item.Clip(message.join())), false, false));
            a.timer = thread.schedule(() -> a.leg.hangup(HangupCause.NORMAL_CLEARING), ABANDON_HANGUP.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            a.leg.hangup(HangupCause.NORMAL_CLEARING);
        }
        outcome(a, Outcome.ABANDONED, "reason=no_agent waitMs=" + Duration.between(a.waitFrom, now).toMillis()
                + " message=" + a.abandoning + amdDetail(a));
        if (a.heldAgent != null) acd.release(a.run.enterpriseId, a.heldAgent, a.run.holder);
    }

    private void hungUp(Attempt a, CallEvent.ChannelHungUp h, Instant now) {
        legs.remove(h.channelId());
        a.run.ringing.remove(a);
        a.run.calls.remove(a);
        if (a.timer != null) a.timer.cancel(false);
        if (a.bridgedAt != null) {
            a.run.handled++;
            a.run.handleSum += Duration.between(a.bridgedAt, now).toMillis() / 1000.0;
        }
        if (a.outcome != null) return;
        if (a.heldAgent != null && a.agent == null) acd.release(a.run.enterpriseId, a.heldAgent, a.run.holder);
        if (a.answeredAt != null && a.run.campaign.mode() == DialMode.NOTIFICATION) {
            // A person answered and hung up before a key: reached, no answer given.
            notified(a, null, "none", " reason=hangup");
            return;
        }
        if (a.answeredAt != null) {
            // Answered, and gone before an agent took it (the person hung up, or the agent's phone did not answer).
            // Gone during detection: counted as abandoned too (a person who heard nobody), never as a machine.
            String why = a.waitFrom == null ? "hangup_during_amd" : a.agent == null ? "hangup_waiting" : "agent_missed";
            outcome(a, Outcome.ABANDONED, "reason=" + why + " waitMs=" + Duration.between(a.answeredAt, now).toMillis() + amdDetail(a));
            return;
        }
        Outcome o = switch (h.cause()) {
            case USER_BUSY -> Outcome.BUSY;
            case NO_ANSWER, NO_USER_RESPONSE, SUBSCRIBER_ABSENT, ORIGINATOR_CANCEL -> Outcome.NO_ANSWER;
            default -> Outcome.FAILED;
        };
        outcome(a, o, "cause=" + h.cause().name() + " sip=" + h.sipStatus() + " ringMs=" + Duration.between(a.dialledAt, now).toMillis());
    }

    /** Writes the attempt's outcome to the event log and the number's state; person answers count in the abandon windows. */
    private void outcome(Attempt a, Outcome o, String detail) {
        if (a.outcome != null) return;
        a.outcome = o;
        Instant now = clock.instant();
        Run run = a.run;
        book.log(new CallLogEvent.CampaignOutcome(run.enterpriseId, a.callId, now, a.leg == null ? null : a.leg.id(), run.id, a.contact.id(),
                a.contact.number(), o.key(), detail));
        if ((o == Outcome.ANSWERED || o == Outcome.ABANDONED) && run.campaign.mode().needsAgents()) {
            run.personAnswers++;
            run.windows.answered(now.toEpochMilli(), o == Outcome.ABANDONED);
        }
        Map<String, Integer> counts = new LinkedHashMap<>(a.contact.outcomes());
        counts.merge(o.key(), 1, Integer::sum);
        Retries.Next next = Retries.after(o, a.attempt, counts, run.campaign.settings(), now);
        CampaignSettings.Sms s = run.campaign.settings().sms();
        jdbi.useTransaction(h -> {
            CampaignStore.finish(h, a.contact.id(), o, next, counts, now);
            if (a.answer != null) CampaignStore.answer(h, a.contact.id(), a.answerKey, a.answer, now);
            if (a.contact.smsId() == null && smsAfter(s, o, next)) {
                // MSG-3: the SMS after this outcome, with the outcome; over a quota it is logged as failed naming the quota.
                Sms.CampaignSms queued = sms.queueForCampaign(h, run.enterpriseId, a.contact.number(), s.templateId(), s.text(), variables(a.contact), true);
                if (queued.messageId() != null) CampaignStore.sms(h, a.contact.id(), queued.messageId());
                else log.warn("campaign {}: no SMS for {}: {}", run.id, a.contact.number(), queued.refused());
            }
        });
    }
}
