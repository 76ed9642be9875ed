package dev.hotline.acd;

import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.engine.call.PlaybackRequest;
import dev.hotline.engine.tts.Language;
import dev.hotline.engine.tts.PromptKey;
import dev.hotline.report.CallLogEvent;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ACD-6 call back, on the dispatcher thread: a caller presses the queue's callback key, hears the
 * confirmation and hangs up, keeping their place; when an agent is free the agent's device is rung
 * first (the entry is dispatched like any caller), then the customer is dialled in the agent's call; where the queue's
 * survey is on (MSG-4) the customer is surveyed after the agent hangs up, as a caller of the queue is. An agent-first web
 * call-back request (OUT-4, {@link Waiting#request}) is the same entry with its own way of dialling the customer.
 */
final class Callbacks {
    private static final Logger log = LoggerFactory.getLogger(Callbacks.class);
    /** The confirmation is played, then the caller's leg ends after this at the latest. */
    private static final Duration HANG_UP_AFTER = Duration.ofSeconds(8);

    private final AcdContext ctx;
    private final QueueDispatcher queues;
    private final AcdData data;
    /** Customer leg of a call back → its entry. */
    private final Map<String, Waiting> customerLegs = new HashMap<>();

    Callbacks(AcdContext ctx, QueueDispatcher queues, AcdData data) {
        this.ctx = ctx;
        this.queues = queues;
        this.data = data;
    }

    /** The caller asked for a call back: the entry stays in the queue in its place, without the caller's channel. */
    void asked(Waiting w, Queue q) {
        long waitMs = Duration.between(w.enqueuedAt, ctx.now()).toMillis();
        ctx.host.log(new CallLogEvent.QueueLeft(w.enterpriseId, w.callId, ctx.now(), w.channel.id(), q.name(), "callback", "key",
                "callback:" + w.callerNumber, waitMs));
        queues.cancelOffers(w);
        queues.detachCaller(w);
        Channel caller = w.channel;
        w.callback = true;
        w.cancelTimers();
        keep(w);
        caller.unhold();
        caller.play(new PlaybackRequest(List.of(new PlaybackRequest.Item.Clip(ctx.ivr.shipped(Language.ZH, PromptKey.CALLBACK_REGISTERED))),
                false, false));
        // The caller hangs up or we do after the confirmation.
        ctx.thread.schedule(HANG_UP_AFTER, () -> caller.hangup(HangupCause.NORMAL_CLEARING));
    }

    /** The call back is written down (off this thread, in order with its end) so that a restart keeps the caller's place. */
    private void keep(Waiting w) {
        CallbackStore.Kept k = new CallbackStore.Kept(w.callId, w.enterpriseId, w.queueId, w.callerNumber, w.priority, w.enqueuedAt);
        java.time.Instant at = ctx.now();
        ctx.thread.offload(() -> {
            try {
                data.keepCallback(k, at);
            } catch (RuntimeException ex) {
                log.error("call back {} of {}: not written down, a restart would lose it", w.callId, w.callerNumber, ex);
            }
        });
    }

    /** After a restart: a call back still owed is back in its queue, in its place (its caller's priority and join time). */
    void restore(CallbackStore.Kept k) {
        Waiting w = queues.restoreCallback(k);
        if (w == null) {
            log.warn("call back {} of {}: its queue {} is gone; dropped", k.callId(), k.callerNumber(), k.queueId());
            written(k.callId(), "no_queue");
        } else {
            log.info("call back {} of {}: back in queue {} as before the restart", k.callId(), k.callerNumber(), k.queueId());
        }
    }

    private void written(String callId, String result) {
        java.time.Instant at = ctx.now();
        ctx.thread.offload(() -> {
            try {
                data.callbackEnded(callId, result, at);
            } catch (RuntimeException ex) {
                log.error("call back {}: its end ({}) not written down", callId, result, ex);
            }
        });
    }

    /** The agent answered the call back's offer: now the customer is called in the agent's call. */
    void agentAnswered(Waiting w, Channel agentLeg) {
        Optional<Channel> cust;
        try {
            cust = w.request != null ? w.request.dial(agentLeg, w.agent.userId, w.agent.jobNumber)
                    : ctx.host.dialCustomer(w.enterpriseId, agentLeg.id(), w.callerNumber);
        } catch (RuntimeException ex) {
            log.warn("call back {}: cannot dial the customer: {}", w.callerNumber, ex.toString());
            cust = Optional.empty();
        }
        if (cust.isEmpty()) {
            agentLeg.hangup(HangupCause.NORMAL_CLEARING);
            queues.remove(w);
            end(w, new Acd.CallbackEnd.NotDialled(w.agent.userId, w.agent.jobNumber));
            return;
        }
        w.customerLegId = cust.get().id();
        customerLegs.put(cust.get().id(), w);
    }

    /** An event of a called-back customer's leg; false when it is no such leg. */
    boolean onCustomerLeg(CallEvent e) {
        Waiting w = customerLegs.get(e.channelId());
        if (w == null) return false;
        if (e instanceof CallEvent.ChannelAnswered) {
            customerLegs.remove(e.channelId());
            Queue q = ctx.queue(w.enterpriseId, w.queueId);
            ctx.host.log(new CallLogEvent.QueueConnected(w.enterpriseId, w.agentLeg.id(), ctx.now(), e.channelId(), q == null ? "?" : q.name(),
                    w.agent.userId, w.agent.jobNumber, Duration.between(w.enqueuedAt, ctx.now()).toMillis()));
            queues.counters(w.queueId).answered++;
            Optional<Channel> customer = ctx.host.channel(e.channelId());
            boolean connected = false;
            if (customer.isPresent()) {
                try {
                    // MSG-4: a queue whose survey is on surveys the called-back customer when the agent hangs up (the
                    // customer's leg outlives the agent's), in the call back's own call (the agent's leg began it): an
                    // ACD-6 call back and an agent-first web call-back request (OUT-4) alike, since both dial the customer
                    // in that call (a customer-first web request is queued as a caller and surveyed by QueueDispatcher).
                    if (q != null && q.settings().survey().enabled()) {
                        ctx.host.bridgeForSurvey(customer.get(), w.agentLeg, w.enterpriseId, w.agentLeg.id(), q.name(), w.agent.userId,
                                q.settings().survey());
                    } else {
                        ctx.host.bridge(w.agentLeg, customer.get());
                    }
                    connected = true;
                } catch (RuntimeException ex) {
                    log.warn("call back {}: cannot connect: {}", w.callerNumber, ex.toString());
                    customer.get().hangup(HangupCause.NORMAL_CLEARING);
                }
            }
            queues.remove(w);
            end(w, connected ? new Acd.CallbackEnd.Connected(w.agent.userId, w.agent.jobNumber)
                    : new Acd.CallbackEnd.AgentLeft(w.agent.userId, w.agent.jobNumber));
        } else if (e instanceof CallEvent.ChannelHungUp h) {
            customerLegs.remove(e.channelId());
            // The customer did not answer the call back: the agent's leg ends (the agent is free again), the entry is done.
            if (w.agentLeg != null) w.agentLeg.hangup(HangupCause.NORMAL_CLEARING);
            queues.remove(w);
            end(w, new Acd.CallbackEnd.NotReached(w.agent.userId, w.agent.jobNumber, h.cause(), h.sipStatus()));
        }
        return true;
    }

    /** Tells a call back's requester how it ended (OUT-4); an ACD-6 call back (no requester) is written down as no longer owed. */
    private void end(Waiting w, Acd.CallbackEnd how) {
        if (w.request == null) {
            written(w.callId, how instanceof Acd.CallbackEnd.Connected ? "connected" : how instanceof Acd.CallbackEnd.NotReached ? "not_reached"
                    : how instanceof Acd.CallbackEnd.NotDialled ? "not_dialled" : "agent_left");
            return;
        }
        try {
            w.request.ended(how);
        } catch (RuntimeException ex) {
            log.error("call back {}: its requester failed on {}", w.callId, how, ex);
        }
    }
}
