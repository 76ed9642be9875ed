package dev.hotline.survey;

import dev.hotline.acd.Acd;
import dev.hotline.acd.AgentState;
import dev.hotline.acd.QueueSettings;
import dev.hotline.cti.CallView;
import dev.hotline.cti.CtiHub;
import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.CollectEnd;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.engine.call.PlaybackRequest;
import dev.hotline.engine.media.AudioClip;
import dev.hotline.engine.tts.Language;
import dev.hotline.engine.tts.PromptKey;
import dev.hotline.ivr.Ivr;
import dev.hotline.report.CallLogEvent;
import dev.hotline.routing.CallBook;
import dev.hotline.routing.RoutingData;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MSG-4: the satisfaction survey after a queue call. The ACD connects a caller of a queue whose survey is on with
 * {@link #expect} (the engine keeps the caller's leg when the agent hangs up); when the agent hangs up
 * ({@link CallEvent.PeerLeft}) the caller hears the score prompt (1 very satisfied, 2 satisfied, 3 unsatisfied), an
 * unsatisfied caller the reason prompt (1 service, 2 attitude, 3 other), then thanks, and the call ends. A caller who
 * hangs up first is not surveyed. The survey is about the final agent: the last agent the caller was bridged with, whose
 * hang-up starts it (a colleague who took the call after a transfer; the same agent back from a consultation). The
 * survey's start and outcome are events of the call ({@link CallLogEvent.SurveyStarted}, {@link CallLogEvent.Surveyed});
 * the results table is their projection ({@link SurveyStore#project}).
 *
 * <p>Runs on the calls' event threads (every event through {@link #onEvent}); it never touches the database.
 */
public final class Surveys {
    private static final Logger log = LoggerFactory.getLogger(Surveys.class);
    /** How long the caller has for a key once a prompt has played. */
    static final Duration KEY_TIMEOUT = Duration.ofSeconds(8);
    /** A question is asked at most this many times (again after no key or a wrong one). */
    static final int TRIES = 2;

    private final CallBook book;
    private final RoutingData data;
    private final Ivr ivr;
    private final CtiHub cti;
    private final Acd acd;
    /** Surveys by the caller's channel, from the bridge until the caller's leg ends. */
    private final Map<String, Session> byCaller = new ConcurrentHashMap<>();

    public Surveys(CallBook book, RoutingData data, Ivr ivr, CtiHub cti, Acd acd) {
        this.book = book;
        this.data = data;
        this.ivr = ivr;
        this.cti = cti;
        this.acd = acd;
    }

    /** The agent on a leg the caller was bridged with, and the queue their desk knows the call from (null if none). */
    private record AgentLeg(long userId, String queue) {}

    /**
     * The agent whose leg {@code legId} is: one their desk follows (a queue offer, a transfer, a consultation, a direct call
     * while their desk is open), else a leg to the phone of an extension of a user signed in as an agent, in any state (a
     * phone's transfer, blind or attended, to a colleague who is not ready or whose desk is closed). Empty for anyone else
     * (an outside number, an extension of a user not signed in). On the call's event thread; asks the ACD only in the second case.
     */
    private Optional<AgentLeg> agentOn(long enterpriseId, String legId) {
        Optional<CallView> view = cti.deskCall(legId);
        if (view.isPresent()) return Optional.of(new AgentLeg(view.get().userId(), view.get().queue()));
        return data.userOfPhoneLeg(enterpriseId, legId)
                .filter(user -> acd.agentView(enterpriseId, user).map(a -> a.state() != AgentState.LOGGED_OUT).orElse(false))
                .map(user -> new AgentLeg(user, null));
    }

    /**
     * The caller of {@code callId} is being connected with the agent on {@code agentLegId} so that it outlives the
     * agent's hang-up: it will be surveyed then.
     */
    public void expect(Channel caller, String agentLegId, long enterpriseId, String callId, String queue, long agentUserId,
                       QueueSettings.Survey settings) {
        byCaller.put(caller.id(), new Session(caller, agentLegId, enterpriseId, callId, queue, agentUserId, settings));
    }

    /**
     * A flow's survey node (MSG-4): the caller of {@code callId} is surveyed in {@code language} after the agent who takes
     * the call, wherever the flow sends it (a queue whose own survey is on surveys it with its settings instead). Counted
     * under the queue the agent took it from, else under the flow's name.
     */
    public void expectAfterAgent(long enterpriseId, String callId, Channel caller, String flow, String language) {
        byCaller.put(caller.id(), new Session(caller, null, enterpriseId, callId, flow, 0,
                new QueueSettings.Survey(true, "en".equals(language) ? "en" : "zh", null, null, null)));
    }

    /**
     * AGENT-3: the agent moved the call from {@code oldAgentLeg} to {@code newAgentLeg} (another of their devices). A
     * survey waiting for the old leg's hang-up now waits for the new one's; true when one waits (the customer must then be
     * bridged so that it outlives the new leg). Called on the call's event thread before the new bridge is made.
     */
    public boolean agentMoved(String customerLeg, String oldAgentLeg, String newAgentLeg) {
        Session s = byCaller.get(customerLeg);
        return s != null && s.moved(oldAgentLeg, newAgentLeg);
    }

    /** Every call event (wired by the app through the switchboard). */
    public void onEvent(CallEvent e) {
        Session s = byCaller.get(e.channelId());
        if (e instanceof CallEvent.PeerLeft p) {
            if (s == null || !p.otherChannelId().equals(s.agentLegId())) {
                // Kept for nobody: never leave a caller alone on a silent line.
                log.warn("call leg {} was kept after {} hung up but no survey expects it; hanging up", p.channelId(), p.otherChannelId());
                if (s != null) byCaller.remove(p.channelId());
                data.engine().channel(p.channelId()).ifPresent(c -> c.hangup(HangupCause.NORMAL_CLEARING));
                return;
            }
            s.start(p.at());
            return;
        }
        if (s == null) return;
        if (e instanceof CallEvent.ChannelBridged b) {
            s.bridged(b.otherChannelId());
        } else if (e instanceof CallEvent.ChannelHungUp h) {
            byCaller.remove(h.channelId());
            s.callerLeft(h.at());
        } else if (e instanceof CallEvent.PlaybackFinished f) {
            s.played(f.playbackId());
        } else if (e instanceof CallEvent.DigitsCollected d) {
            s.keys(d.digits(), d.end(), d.at());
        }
    }

    /** The steps of one survey; {@link Session#move} allows only the moves listed here. */
    enum Step {
        /** Caller and agent talk; the survey waits for the agent to hang up. */
        WAITING,
        /** The caller is asked for the score. */
        SCORE,
        /** An unsatisfied caller is asked why. */
        REASON,
        /** The outcome is logged; the caller hears thanks, then the call ends. */
        THANKS,
        /** Over: the caller left or was hung up. */
        DONE;

        boolean canMoveTo(Step next) {
            return switch (this) {
                case WAITING -> next == SCORE || next == DONE;
                case SCORE -> next == REASON || next == THANKS || next == DONE;
                case REASON -> next == THANKS || next == DONE;
                case THANKS -> next == DONE;
                case DONE -> false;
            };
        }
    }

    /** One caller's survey. Its methods run on the call's event thread and, for spoken prompts, the TTS thread: synchronized. */
    private final class Session {
        final Channel caller;
        /**
         * The leg of the agent the caller talks with now: the survey starts when it hangs up, and is about its user; null
         * for a flow's survey until an agent takes the call.
         */
        String agentLegId;
        final long enterpriseId;
        final String callId;
        /** The queue the results count under (for a flow's survey the flow's name until the call reaches a queue's agent). */
        String queue;
        long agentUserId;
        final QueueSettings.Survey settings;
        final Language language;
        Step step = Step.WAITING;
        Instant startedAt;
        int tries;
        Integer score;
        /** The playback whose end starts the key collection (or, after thanks, the hang-up); null while none. */
        String playbackId;
        /** Incremented by every prompt: a spoken prompt rendered too late for its step is dropped. */
        int promptNo;

        Session(Channel caller, String agentLegId, long enterpriseId, String callId, String queue, long agentUserId,
                QueueSettings.Survey settings) {
            this.caller = caller;
            this.agentLegId = agentLegId;
            this.enterpriseId = enterpriseId;
            this.callId = callId;
            this.queue = queue;
            this.agentUserId = agentUserId;
            this.settings = settings;
            this.language = "en".equals(settings.language()) ? Language.EN : Language.ZH;
        }

        synchronized String agentLegId() {
            return agentLegId;
        }

        /**
         * The caller was bridged with {@code peerId}: with the same agent again (back from a consultation or a verification
         * flow), or with a colleague after a transfer (blind, through the ACD or straight to their extension's phone, or
         * attended), who becomes the agent surveyed for ({@link #agentOn}). Either way the caller outlives that peer's
         * hang-up. A peer that is no agent's leg (an outside number, an extension of a user not signed in as an agent) is
         * followed as usual: the caller is not surveyed.
         */
        synchronized void bridged(String peerId) {
            if (step != Step.WAITING) return;
            if (!peerId.equals(agentLegId)) {
                Optional<AgentLeg> agent = agentOn(enterpriseId, peerId);
                if (agent.isEmpty()) {
                    log.info("call {}: the caller went on to {}, no agent's leg: not surveyed", callId, peerId);
                    return;
                }
                if (agentLegId == null && agent.get().queue() != null) queue = agent.get().queue(); // a flow's survey
                agentLegId = peerId;
                agentUserId = agent.get().userId();
            }
            data.engine().channel(peerId).ifPresent(peer -> data.engine().stayAfter(caller, peer));
        }

        /** The agent's call moved to {@code newLeg} on another device: the same agent, surveyed after that leg. */
        synchronized boolean moved(String oldLeg, String newLeg) {
            if (step != Step.WAITING || !oldLeg.equals(agentLegId)) return false;
            agentLegId = newLeg;
            return true;
        }

        /** The one way the step changes: an illegal move is a bug and fails loudly. */
        private void move(Step next) {
            if (!step.canMoveTo(next)) throw new IllegalStateException("survey of call " + callId + ": cannot go from " + step + " to " + next);
            step = next;
        }

        synchronized void start(Instant at) {
            if (step != Step.WAITING) return;
            startedAt = at;
            log(new CallLogEvent.SurveyStarted(enterpriseId, callId, at, caller.id(), queue, agentUserId));
            caller.clearDigits(); // keys typed in the queue or the IVR are no answer to the survey
            ask(Step.SCORE);
        }

        private void ask(Step question) {
            if (step != question) {
                move(question);
                tries = 0;
            }
            tries++;
            prompt(question == Step.SCORE ? settings.scorePrompt() : settings.reasonPrompt(),
                    question == Step.SCORE ? PromptKey.SURVEY_SCORE : PromptKey.SURVEY_REASON, true);
        }

        /** Plays the configured prompt (a shipped key or text for the TTS) or the shipped default. */
        private void prompt(String configured, PromptKey fallback, boolean bargeIn) {
            int no = ++promptNo;
            playbackId = null;
            Optional<PromptKey> key = configured == null ? Optional.of(fallback)
                    : Arrays.stream(PromptKey.values()).filter(k -> k.name().equals(configured)).findFirst();
            CompletableFuture<AudioClip> clip = key.isPresent() ? CompletableFuture.completedFuture(ivr.shipped(language, key.get()))
                    : ivr.speak(configured, language).exceptionally(err -> {
                        log.warn("call {}: survey prompt \"{}\" could not be spoken ({}); the shipped one plays", callId, configured, err.toString());
                        return ivr.shipped(language, fallback);
                    });
            clip.thenAccept(c -> play(no, c, bargeIn));
        }

        private synchronized void play(int no, AudioClip clip, boolean bargeIn) {
            if (no != promptNo || step == Step.DONE) return;
            playbackId = caller.play(new PlaybackRequest(List.of(new PlaybackRequest.Item.Clip(clip)), false, bargeIn)).id();
        }

        synchronized void played(String id) {
            if (playbackId == null || !playbackId.equals(id)) return;
            playbackId = null;
            if (step == Step.SCORE || step == Step.REASON) {
                caller.collectDigits(1, (char) 0, KEY_TIMEOUT, KEY_TIMEOUT);
            } else if (step == Step.THANKS) {
                move(Step.DONE);
                caller.hangup(HangupCause.NORMAL_CLEARING);
            }
        }

        synchronized void keys(String digits, CollectEnd end, Instant at) {
            if (end == CollectEnd.HANGUP || end == CollectEnd.CANCELLED) return; // the hang-up ends the survey
            if (step != Step.SCORE && step != Step.REASON) return;
            Integer key = digits.length() == 1 && "123".contains(digits) ? Integer.valueOf(digits) : null;
            if (step == Step.SCORE) {
                if (key != null) {
                    score = key;
                    if (key == 3) ask(Step.REASON);
                    else finish("answered", null, at);
                } else if (tries < TRIES) {
                    ask(Step.SCORE);
                } else {
                    finish("no_input", null, at);
                }
            } else {
                if (key != null) finish("answered", key, at);
                else if (tries < TRIES) ask(Step.REASON);
                else finish("partial", null, at);
            }
        }

        /** Logs the outcome, then thanks the caller (the thanks' end hangs up). */
        private void finish(String result, Integer reason, Instant at) {
            move(Step.THANKS);
            outcome(result, reason, at);
            prompt(settings.thanksPrompt(), PromptKey.SURVEY_THANKS, false);
        }

        /** The caller's leg ended: before the agent (no survey), or during the survey (what was answered so far). */
        synchronized void callerLeft(Instant at) {
            if (step == Step.SCORE || step == Step.REASON) {
                outcome(score == null ? "hangup" : "partial", null, at);
            }
            if (step != Step.DONE) move(Step.DONE);
        }

        /** The survey's outcome: an event of the call, and news for the agent's desk. */
        private void outcome(String result, Integer reason, Instant at) {
            log(new CallLogEvent.Surveyed(enterpriseId, callId, at, caller.id(), queue, agentUserId, startedAt, result, score, reason));
            cti.surveyed(agentUserId, callId, result, score, reason);
        }

        private void log(CallLogEvent e) {
            book.find(callId).ifPresentOrElse(c -> book.record(c, e), () -> book.append(e));
        }
    }
}
