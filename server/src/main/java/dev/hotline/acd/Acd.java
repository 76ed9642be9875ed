package dev.hotline.acd;

import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.ivr.Ivr;
import dev.hotline.report.AgentLogEvent;
import dev.hotline.report.CallLogEvent;
import dev.hotline.report.EventLog;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ACD (ACD-1..8, AGENT-1, AGENT-3): the one object other packages talk to. Behind it:
 * <ul>
 *   <li>{@link QueueDispatcher}: callers in queues, offers to agents, connection, overflow;</li>
 *   <li>{@link AgentBoard}: agents and their states, and the self-check that corrects them;</li>
 *   <li>{@link Callbacks} (ACD-6 call back) and {@link Announcements} (position, periodic message, agent number);</li>
 *   <li>{@link AgentBoard#restore}: agents signed in again after a restart.</li>
 *   <li>{@link Callbacks#restore}: ACD-6 call backs still owed put back in their queues after a restart.</li>
 * </ul>
 * Everything runs on one thread ({@link AcdThread}): engine events, API commands and timers are
 * posted to it, so there are no locks and no lock order to get wrong, and a queue cannot deadlock.
 * It never touches the database on that thread: configuration is loaded on another thread and
 * handed over whole; state changes go to the asynchronous event log.
 * <p>
 * Agent state follows the calls: offers, answers and hang-ups move it, and a self-check every two
 * seconds corrects (and logs, cause "correction") any agent whose call is gone, and takes out of
 * its queue (as abandoned) any caller whose channel is gone.
 */
public final class Acd implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Acd.class);
    static final Duration CHECK_EVERY = Duration.ofSeconds(2);

    /** What the ACD asks of the call router (which owns calls, their records and the engine). */
    public interface Host {
        /** Records a queue event in the call's record and the event log. */
        void log(CallLogEvent e);

        /**
         * Places a leg to the agent's device for call {@code callId}, showing {@code callerNumber}; files
         * it under the call with its offer event before any of its events can arrive. Empty when the
         * device cannot be called now (not registered, no route).
         */
        Optional<Channel> offer(long enterpriseId, String callId, Device device, String callerNumber, Duration timeout, String queue,
                                long agentUserId, String agentJob);

        /** Places the agent's leg of a call back (ACD-6): a new outbound call of its own. */
        Optional<Channel> offerCallback(long enterpriseId, Device device, String customerNumber, Duration timeout, String queue,
                                        long agentUserId, String agentJob);

        /** Dials the customer of a call back once the agent answered, in the agent's call. */
        Optional<Channel> dialCustomer(long enterpriseId, String callId, String number);

        /** Connects two answered channels. */
        void bridge(Channel a, Channel b);

        /**
         * Connects a queue's caller with the agent who answered, for a queue whose satisfaction survey is on (MSG-4):
         * when the agent hangs up, the caller stays on the line and hears {@code survey}.
         */
        void bridgeForSurvey(Channel caller, Channel agentLeg, long enterpriseId, String callId, String queue, long agentUserId,
                             QueueSettings.Survey survey);

        Optional<Channel> channel(String id);

        /** The enterprise's music on hold. */
        Path musicFolder(long enterpriseId);

        /** True when a call can be placed to the device now (SIP: registered; external: an outbound route). */
        boolean reachable(long enterpriseId, Device device);

        /** Sends a caller leaving a queue to a destination (another queue goes back to {@link #enqueue}); false if impossible. */
        boolean leaveTo(long enterpriseId, String callId, Channel caller, QueueSettings.Destination destination, String fromQueue);

        /**
         * REC-1: an agent (whose extension is {@code agentExtension}, null if none) took a call of a queue: recorded when
         * {@code queueRecords} (the queue's own setting) or when the enterprise records the agent's extension; a no-op
         * when the call is recorded already.
         */
        void record(long enterpriseId, String callId, boolean queueRecords, String agentExtension);
    }

    /** Told of agent changes and offers, on the dispatcher thread: hand the work off at once (the CTI channel does). */
    public interface Listener {
        void agentChanged(long enterpriseId, AgentView agent);

        void offered(long enterpriseId, long userId, Offered offer);
    }

    /**
     * A call offered to an agent: {@code legId} is the agent's leg; {@code transfer} is set when a
     * colleague transferred the call (AGENT-5).
     */
    public record Offered(String callId, String legId, String caller, String queue, long waitedSeconds, Transfer transfer) {}

    /** PBX-4: a call an offer rang picked up from another phone: its call, the offer leg that rang, that phone's extension. */
    public record PickedOffer(String callId, String offerLegId, String extension) {}

    /** Who transferred a call, with their notes (AGENT-5: the data travels with the call). */
    public record Transfer(long fromUserId, String fromJob, String fromName, String notes) {}

    /**
     * A call back asked for outside any call (OUT-4 web callback, agent first): it keeps a place in a queue like a caller who
     * pressed the callback key (ACD-6). Its hooks are called on the dispatcher thread and must not block there (hand any
     * database work off).
     */
    public interface CallbackRequest {
        /**
         * An agent answered the offer on {@code agentLeg}: dial the customer now (the leg filed under the agent's call and
         * {@link #watch watched} before it is placed); empty when the customer cannot be dialled.
         */
        Optional<Channel> dial(Channel agentLeg, long agentUserId, String agentJob);

        /** How the call back ended, once; the agent's leg is ended by the ACD when the customer was not connected. */
        void ended(CallbackEnd end);
    }

    /** How a {@link CallbackRequest} ended. */
    public sealed interface CallbackEnd {
        long agentUserId();

        /** The customer answered and was connected with the agent. */
        record Connected(long agentUserId, String agentJob) implements CallbackEnd {}

        /** The customer's leg ended unanswered (busy, no answer, failed). */
        record NotReached(long agentUserId, String agentJob, HangupCause cause, int sipStatus) implements CallbackEnd {}

        /** The customer could not be dialled at all (see the requester's own reason). */
        record NotDialled(long agentUserId, String agentJob) implements CallbackEnd {}

        /** The customer answered but the agent's leg was gone. */
        record AgentLeft(long agentUserId, String agentJob) implements CallbackEnd {}
    }

    /** What {@link #cancelCallback} did. */
    public enum CallbackCancel {
        /** Taken out of its queue (an agent ringing for it stops). */
        REMOVED,
        /** An agent answered it: the customer is being dialled or talks. */
        CONNECTING,
        /** No such call back in a queue. */
        ABSENT
    }

    public record WaitingView(String callId, String queue, String caller, int priority, long waitedSeconds, boolean callback,
                              boolean ringing) {}

    private final AcdData data;
    private final AcdContext ctx;
    private final QueueDispatcher queues;
    private final AgentBoard board;
    private final AtomicBoolean reloadPending = new AtomicBoolean();
    /** Channels the ACD follows (callers in queues, agent and customer legs): other calls cost it nothing. */
    private final Set<String> watched = ConcurrentHashMap.newKeySet();

    public Acd(Jdbi jdbi, EventLog events, Clock clock, Ivr ivr, RandomGenerator random) {
        this(jdbi, events, clock, ivr, random, CustomerRouting.NONE);
    }

    /** With the CRM's answer about callers: their tier's priority (ACD-3) and their record's owner, tried first (ACD-4). */
    public Acd(Jdbi jdbi, EventLog events, Clock clock, Ivr ivr, RandomGenerator random, CustomerRouting customers) {
        this(AcdData.of(jdbi, customers), events::append, clock, ivr, random, new ExecutorAcdThread());
    }

    /** With its data source, agent log and thread given (a unit test drives a manual thread and clock). */
    Acd(AcdData data, Consumer<AgentLogEvent> agentLog, Clock clock, Ivr ivr, RandomGenerator random, AcdThread thread) {
        this.data = data;
        this.ctx = new AcdContext(thread, clock, ivr, agentLog);
        this.queues = new QueueDispatcher(ctx, data, random);
        this.board = new AgentBoard(ctx, queues);
        queues.attach(board);
    }

    public void addListener(Listener l) {
        ctx.listeners.add(l);
    }

    /** Loads the configuration, restores the agents signed in and the call backs owed before a restart, and starts the self-check. */
    public void start(Host host) {
        ctx.host = host;
        AcdConfig c = data.config();
        List<AgentStore.LastState> last = data.lastStates();
        List<CallbackStore.Kept> callbacks = data.keptCallbacks();
        ctx.thread.call(() -> {
            apply(c);
            board.restore(last);
            // In the order their callers joined: the dispatcher's own order keeps it among equal priorities.
            callbacks.forEach(queues.callbacks::restore);
            queues.dispatchAll();
            return null;
        });
        ctx.thread.everyAfter(CHECK_EVERY, this::selfCheck);
    }

    /** How long a call back that ended stays in {@code queue_callback} (its story is in the event log for good). */
    static final Duration CALLBACKS_KEPT = Duration.ofDays(30);

    /** Housekeeping: forgets call backs that ended more than {@link #CALLBACKS_KEPT} ago; answers how many. */
    public int pruneCallbacks() {
        return data.pruneCallbacks(ctx.clock.instant().minus(CALLBACKS_KEPT));
    }

    /** Configuration may have changed (any API write): reload it off the dispatcher thread, then apply it there. */
    public void invalidate() {
        // Many writes in a burst (agents clicking ready) coalesce into one reload.
        if (!reloadPending.compareAndSet(false, true)) return;
        ctx.thread.offload(() -> {
            reloadPending.set(false);
            try {
                AcdConfig c = data.config();
                ctx.published = c;
                ctx.thread.execute(() -> apply(c));
            } catch (RuntimeException e) {
                log.error("cannot reload ACD configuration", e);
            }
        });
    }

    /** Waits until configuration reloads asked for so far are applied and the dispatcher is idle (tests, tools). */
    public void settle() {
        ctx.thread.settle();
    }

    @Override
    public void close() {
        ctx.thread.close();
    }

    private void apply(AcdConfig c) {
        ctx.config = c;
        ctx.published = c;
        board.apply(c);
        queues.dispatchAll();
    }

    /** The self-check (every {@link #CHECK_EVERY}): agents whose call is gone, then callers whose channel is gone. */
    private void selfCheck() {
        board.selfCheck();
        queues.selfCheck();
        queues.dispatchAll();
    }

    // ================================================================ calls (router threads)

    /** The enabled user of the enterprise with job number {@code jobNumber}, if any (from the published configuration). */
    public Optional<Long> userOfJobNumber(long enterpriseId, String jobNumber) {
        if (jobNumber == null) return Optional.empty();
        return ctx.published.tenant(enterpriseId).users().values().stream()
                .filter(u -> jobNumber.equals(u.jobNumber())).map(AcdConfig.UserInfo::userId).findFirst();
    }

    /** True when the enterprise has a queue of that name. */
    public boolean hasQueue(long enterpriseId, String name) {
        return ctx.published.queue(enterpriseId, name).isPresent();
    }

    /**
     * Puts the (answered) caller channel into queue {@code name}. Returns false, doing nothing, when
     * there is no such queue. {@code priority}: 0 normal, higher first (set by a flow); transferred
     * calls and VIP callers get more on top.
     */
    public boolean enqueue(long enterpriseId, String callId, Channel caller, String callerNumber, String name, int priority,
                           boolean transferred) {
        if (!hasQueue(enterpriseId, name)) return false;
        watched.add(caller.id());
        ctx.thread.execute(() -> queues.join(enterpriseId, callId, caller, callerNumber, name, priority, transferred));
        return true;
    }

    /**
     * AGENT-5: a blind transfer of an answered caller to a colleague, who is offered the call with the
     * transferring agent's job number and notes. Refused (conflict) when the colleague is not free now.
     */
    public void transferToAgent(long enterpriseId, String callId, Channel caller, String callerNumber, long targetUserId, Transfer transfer) {
        ctx.thread.call(() -> {
            Agent target = board.get(targetUserId);
            if (target != null && target.enterpriseId == enterpriseId && target.free() && target.device != null) watched.add(caller.id());
            queues.transferToAgent(enterpriseId, callId, caller, callerNumber, targetUserId, transfer);
            return null;
        });
    }

    /**
     * A call of the agent's own (click-to-dial, a direct call, a consultation) on {@code leg}: a ready
     * agent is on a call until it ends, so that the queues do not offer them another one (ACD-8).
     */
    public void busy(long enterpriseId, long userId, String callId, String legId) {
        watched.add(legId);
        ctx.thread.execute(() -> board.busy(enterpriseId, userId, callId, legId, "call"));
    }

    /**
     * SUP-2: the supervisor {@code userId} is on {@code callId} (listening, whispering, barging, or having taken it over) on
     * their own leg {@code legId}: until that leg ends no queue call is offered to them. A ready supervisor is on that call
     * now; one not ready, in wrap-up, ringing or on a call keeps that state and is on the supervised call as soon as they
     * would be ready (e.g. when their wrap-up ends); logged with cause "supervision". Called before the leg is placed, so
     * that its end is never missed.
     */
    public void supervising(long enterpriseId, long userId, String callId, String legId) {
        watched.add(legId);
        ctx.thread.execute(() -> board.supervising(enterpriseId, userId, callId, legId));
    }

    /**
     * AGENT-3: the agent's call moved from {@code oldLeg} to {@code newLeg} (another of their devices): the agent stays on
     * the call on the new leg, and the end of the old one is no end of their call. Called before the old leg ends.
     */
    public void moveLeg(long enterpriseId, long userId, String oldLeg, String newLeg) {
        watched.add(newLeg);
        ctx.thread.execute(() -> board.moveLeg(enterpriseId, userId, oldLeg, newLeg));
    }

    /**
     * PBX-4: the picker's phone ({@code picker}, extension {@code pickerExtension}, of user {@code pickerUserId} if any) takes
     * the call an offer rings at an agent's SIP phone whose extension {@code ringing} accepts. See
     * {@link QueueDispatcher#pickup}: the ACD connects the caller once {@code picker} is answered (answering it is the
     * caller's of this method).
     */
    public Optional<PickedOffer> pickup(long enterpriseId, Predicate<String> ringing, Channel picker, String pickerExtension,
                                        Long pickerUserId) {
        watched.add(picker.id()); // a picker who is an agent talks on it: its hang-up ends their call
        Optional<PickedOffer> p = ctx.thread.call(() -> queues.pickup(enterpriseId, ringing, picker, pickerExtension, pickerUserId));
        if (p.isEmpty()) watched.remove(picker.id());
        return p;
    }

    /** PBX-4: true when {@link #pickup} with these arguments would find an offer ringing now. */
    public boolean offerRinging(long enterpriseId, Predicate<String> ringing, Long pickerUserId) {
        return ctx.thread.call(() -> queues.offerRinging(enterpriseId, ringing, pickerUserId));
    }

    /** Follow {@code channelId} from now on; called before a leg the ACD asked for is placed. */
    public void watch(String channelId) {
        watched.add(channelId);
    }

    /** Every engine event; the ACD takes those of the channels it follows. */
    public void onEvent(CallEvent e) {
        String id = e.channelId();
        if (!watched.contains(id)) return;
        if (e instanceof CallEvent.ChannelHungUp) watched.remove(id);
        ctx.thread.execute(() -> handle(e));
    }

    /** An event of a followed channel: an offer leg, an agent's call, a called-back customer, or a waiting caller. */
    private void handle(CallEvent e) {
        queues.onPickerLeg(e);
        if (queues.onOfferLeg(e)) return;
        if (board.onAgentLeg(e)) return;
        if (queues.callbacks.onCustomerLeg(e)) return;
        queues.onCallerEvent(e);
    }

    // ================================================================ call backs from outside (OUT-4)

    /**
     * Puts call back {@code key} for {@code number} in queue {@code name}, waiting since {@code since} (a request re-queued
     * after a restart keeps its time; requests re-queued in their order keep their places). Answers its 1-based place on
     * joining; empty, doing nothing, when the enterprise has no such queue or the key waits already.
     */
    public Optional<Integer> requestCallback(long enterpriseId, String key, String number, String name, Instant since, CallbackRequest request) {
        if (!hasQueue(enterpriseId, name)) return Optional.empty();
        return ctx.thread.call(() -> queues.requestCallback(enterpriseId, key, number, name, since, request));
    }

    /** Takes call back {@code key} out of its queue unless an agent answered it already. */
    public CallbackCancel cancelCallback(long enterpriseId, String key) {
        return ctx.thread.call(() -> queues.cancelCallback(enterpriseId, key));
    }

    /** 1-based place of call back {@code key} among those waiting in its queue; empty when it is not waiting. */
    public Optional<Integer> callbackPosition(long enterpriseId, String key) {
        return ctx.thread.call(() -> queues.callbackPosition(enterpriseId, key));
    }

    // ================================================================ outbound campaigns (the dialer's thread)

    /**
     * A campaign's agents as the dialer sees them (OUT-1): who is signed in, who is free (ready, on no call, held by
     * nobody), who the campaign holds, and for each agent busy on a call or in wrap-up, how long they have been so.
     */
    public record Pool(int signedIn, List<Long> free, List<Long> held, double[] busySeconds) {}

    /** The agents a campaign takes calls with: {@code agentIds}, else the members of queue {@code queueId}. */
    public Pool pool(long enterpriseId, List<Long> agentIds, Long queueId, String holder) {
        return ctx.thread.call(() -> board.pool(enterpriseId, members(enterpriseId, agentIds, queueId), holder));
    }

    /**
     * Holds up to {@code n} free agents of the campaign for {@code holder}: queues offer them nothing until the campaign
     * connects them a call or lets them go ({@link #release}); a move of the agent (not ready, logout) ends the hold.
     */
    public List<Long> reserve(long enterpriseId, List<Long> agentIds, Long queueId, String holder, int n) {
        return ctx.thread.call(() -> board.reserve(enterpriseId, members(enterpriseId, agentIds, queueId), holder, n));
    }

    /** The campaign lets a held agent go (the number it dialled for them did not answer). */
    public void release(long enterpriseId, long userId, String holder) {
        ctx.thread.execute(() -> {
            if (board.release(enterpriseId, userId, holder)) queues.dispatch(enterpriseId);
        });
    }

    /**
     * An answered campaign call on {@code customer} (filed under call {@code callId}) is offered to {@code preferred} (the agent
     * held for it) if still there, else to a free agent of the campaign; the agent's answer connects them. Empty when no agent
     * can take it now.
     */
    public Optional<Long> connectCampaignCall(long enterpriseId, String callId, Channel customer, String number, List<Long> agentIds,
                                              Long queueId, String holder, Long preferred, String label) {
        watched.add(customer.id());
        return ctx.thread.call(() -> {
            List<Long> candidates = new java.util.ArrayList<>();
            if (preferred != null) candidates.add(preferred);
            for (long id : members(enterpriseId, agentIds, queueId)) if (!candidates.contains(id)) candidates.add(id);
            Optional<Long> to = queues.campaignCall(enterpriseId, callId, customer, number, candidates, holder, label);
            if (to.isEmpty()) watched.remove(customer.id());
            return to;
        });
    }

    private List<Long> members(long enterpriseId, List<Long> agentIds, Long queueId) {
        if (agentIds != null && !agentIds.isEmpty()) return agentIds;
        if (queueId == null) return List.of();
        return ctx.tenant(enterpriseId).members().getOrDefault(queueId, List.of());
    }

    // ================================================================ agents (API threads)

    /** Signs the agent in on a device (or changes the device between calls). */
    public AgentView login(long enterpriseId, long userId, Device device, String by) {
        return ctx.thread.call(() -> board.login(enterpriseId, userId, device, by));
    }

    public AgentView logout(long enterpriseId, long userId, String by) {
        return ctx.thread.call(() -> board.logout(enterpriseId, userId, by));
    }

    /**
     * Ready, or not ready with a reason; during a call not ready is kept for when it ends. Requests
     * from people go through {@link AgentDesk}, which checks them; feature codes pass fixed values.
     */
    public AgentView setState(long enterpriseId, long userId, AgentState to, String reason, String by) {
        return ctx.thread.call(() -> board.setState(enterpriseId, userId, to, reason, by));
    }

    /** The engine leg the agent talks on, when they are on a call (SUP-2: the leg a supervisor taps). */
    public Optional<String> talkingLeg(long enterpriseId, long userId) {
        return ctx.thread.call(() -> Optional.ofNullable(board.get(userId))
                .filter(a -> a.enterpriseId == enterpriseId && a.state == AgentState.ON_CALL && a.legId != null).map(a -> a.legId));
    }

    public Optional<AgentView> agentView(long enterpriseId, long userId) {
        return ctx.thread.call(() -> board.view(enterpriseId, userId));
    }

    /** Every user of the enterprise who is a queue member or signed in, with their live state. */
    public List<AgentView> agents(long enterpriseId) {
        return ctx.thread.call(() -> board.list(enterpriseId));
    }

    /** Live figures of every queue of the enterprise. */
    public List<QueueLive> live(long enterpriseId) {
        return ctx.thread.call(() -> queues.live(enterpriseId));
    }

    /** Callers waiting in the enterprise's queues, in the order they will be served (for supervisors and tests). */
    public List<WaitingView> waiting(long enterpriseId) {
        return ctx.thread.call(() -> queues.waitingViews(enterpriseId));
    }

    /** The key of an agent's browser connection in the engine. */
    public static String webRtcKey(long userId) {
        return "agent-" + userId;
    }
}
