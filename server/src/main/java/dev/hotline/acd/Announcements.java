package dev.hotline.acd;

import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.PlaybackRequest;
import dev.hotline.engine.media.AudioClip;
import dev.hotline.engine.tts.Language;
import dev.hotline.engine.tts.PromptKey;
import dev.hotline.engine.tts.Say;
import dev.hotline.report.CallLogEvent;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What a caller hears from the queue (ACD-6, ACD-7), on the dispatcher thread: their position and
 * expected wait, the queue's periodic message, and the job number of the agent who answered.
 */
final class Announcements {
    private final AcdContext ctx;
    private final QueueDispatcher queues;

    Announcements(AcdContext ctx, QueueDispatcher queues) {
        this.ctx = ctx;
        this.queues = queues;
    }

    private boolean listening(Waiting w) {
        return queues.isWaiting(w) && !w.connecting && !w.callback;
    }

    /** Position in the queue and expected wait (from the smoothed wait of answered calls and the agents signed in). */
    void position(Waiting w) {
        if (!listening(w)) return;
        int pos = queues.position(w);
        QueueDispatcher.Counters c = queues.counters(w.queueId);
        long signedIn = ctx.tenant(w.enterpriseId).members().getOrDefault(w.queueId, List.of()).stream()
                .filter(id -> queues.board().signedIn(id)).count();
        double perCaller = c.avgWaitSeconds > 0 ? c.avgWaitSeconds : 60;
        Duration expected = Duration.ofSeconds((long) (perCaller * pos / Math.max(1, signedIn)));
        Say say = Say.in(Language.ZH);
        AudioClip clip = AudioClip.concat(List.of(ctx.ivr.utterance(say.queuePosition(Math.min(pos, 9999))),
                ctx.ivr.utterance(say.expectedWait(expected))));
        w.channel.play(new PlaybackRequest(List.of(new PlaybackRequest.Item.Clip(clip)), false, false));
        Queue q = ctx.queue(w.enterpriseId, w.queueId);
        ctx.host.log(new CallLogEvent.QueueAnnounced(w.enterpriseId, w.callId, ctx.now(), w.channel.id(), q == null ? "?" : q.name(), pos,
                expected.toSeconds()));
    }

    /** The queue's periodic message: a shipped prompt by its key, or any text spoken by the TTS. */
    void periodic(Waiting w) {
        if (!listening(w)) return;
        Queue q = ctx.queue(w.enterpriseId, w.queueId);
        if (q == null || q.settings().periodicText() == null) return;
        String text = q.settings().periodicText();
        Optional<PromptKey> key = Arrays.stream(PromptKey.values()).filter(k -> k.name().equals(text)).findFirst();
        if (key.isPresent()) {
            w.channel.play(new PlaybackRequest(List.of(new PlaybackRequest.Item.Clip(ctx.ivr.shipped(Language.ZH, key.get()))), false, false));
            return;
        }
        Channel ch = w.channel;
        ctx.ivr.speak(text, Language.ZH).thenAccept(clip -> ctx.thread.execute(() -> {
            if (queues.isWaiting(w) && !w.connecting) ch.play(new PlaybackRequest(List.of(new PlaybackRequest.Item.Clip(clip)), false, false));
        }));
    }

    /**
     * ACD-7: the caller hears the answering agent's job number; they are connected when it has played. The agent
     * hears the same words at the same time (issue 14: never seconds of silence after clicking answer), so both know
     * the line is live and when the caller will be there.
     */
    void agentNumber(Waiting w, Agent a) {
        Channel caller = w.channel;
        caller.unhold();
        Language lang = Language.ZH;
        AudioClip clip = AudioClip.concat(List.of(ctx.ivr.shipped(lang, PromptKey.AGENT_NUMBER), ctx.ivr.utterance(Say.in(lang).digits(a.jobNumber)),
                ctx.ivr.shipped(lang, PromptKey.AT_YOUR_SERVICE)));
        w.announcePlayback = 0L;
        PlaybackRequest announcement = new PlaybackRequest(List.of(new PlaybackRequest.Item.Clip(clip)), false, false);
        caller.play(announcement);
        if (w.agentLeg != null) w.agentLeg.play(announcement);
    }
}
