package dev.hotline.acd;

import dev.hotline.engine.call.Channel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A caller in a queue, or a call back keeping its place (dispatcher thread only). */
final class Waiting {
    final long enterpriseId;
    final String callId;
    final long queueId;
    final String callerNumber;
    final Instant enqueuedAt;
    final long seq;
    int priority;
    Channel channel;
    /** Agent leg id → offer, while agents ring for this caller. */
    final Map<String, Offer> offers = new LinkedHashMap<>();
    /** Agents tried for this caller (RONA moves on to the others first). */
    final Set<Long> tried = new HashSet<>();
    /** An agent answered; the caller is being announced / connected. */
    boolean connecting;
    Channel agentLeg;
    Agent agent;
    /** The caller asked to be called back and hung up; the entry keeps the place. */
    boolean callback;
    String customerLegId;
    /** A call back asked for outside any call (OUT-4): it has no caller channel; its requester dials the customer. */
    Acd.CallbackRequest request;
    Long announcePlayback;
    /** ACD-4: the agent who served this caller last, waited for during the queue's sticky seconds. */
    Long preferredAgent;
    /** The sticky-agent lookup is running: not offered for at most a moment. */
    boolean stickyLookup;
    /** A transfer to one agent (AGENT-5): only they are offered the call. */
    Long pinnedAgent;
    Acd.Transfer transfer;
    /** An answered outbound campaign call (OUT-1): the label its queue events carry, and the campaign's reservation key. */
    String campaign;
    String holder;
    /**
     * PBX-4: picked up from another phone ({@link QueueDispatcher#pickup}): the picker's extension and user (null: an
     * extension of nobody, then {@link #agent} is null too); set while the picker's leg ({@link #agentLeg}) is answered.
     */
    boolean picked;
    String pickerExtension;
    Long pickerUserId;
    /** Max wait, announcements, the sticky wait: cancelled when the caller leaves. */
    final List<AcdThread.Timer> timers = new ArrayList<>();

    Waiting(long enterpriseId, String callId, long queueId, String callerNumber, Instant at, long seq, int priority, Channel channel) {
        this.enterpriseId = enterpriseId;
        this.callId = callId;
        this.queueId = queueId;
        this.callerNumber = callerNumber;
        this.enqueuedAt = at;
        this.seq = seq;
        this.priority = priority;
        this.channel = channel;
    }

    void cancelTimers() {
        timers.forEach(AcdThread.Timer::cancel);
        timers.clear();
    }

    /** One agent's leg ringing for one caller. */
    record Offer(Waiting waiting, Agent agent, Channel leg) {}
}
