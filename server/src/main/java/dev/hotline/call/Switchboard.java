package dev.hotline.call;

import dev.hotline.acd.Acd;
import dev.hotline.cti.CtiHub;
import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.CallHandler;
import dev.hotline.engine.call.MediaQuality;
import dev.hotline.recording.CallRecorder;
import dev.hotline.report.CallLogEvent;
import dev.hotline.report.LegQuality;
import dev.hotline.routing.CallBook;
import dev.hotline.routing.CallBook.Call;
import dev.hotline.routing.CallRouter;
import dev.hotline.routing.RoutingData;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The engine's one call handler: a new call goes to {@link CallRouter}; every event of a call goes,
 * in a fixed order, to the desks' call control, rooms and flows, the call's record in
 * {@link CallBook} (with what an answer or a hang-up means to recording, routing, the desks and the
 * queues), then to the ring groups, the ACD and the CTI channel.
 */
public final class Switchboard implements CallHandler {
    private final CallBook book;
    private final RoutingData data;
    private final CallRouter router;
    private final CallRecorder recorder;
    private final DeskCallControl desk;
    private final AcdHost queues;
    private final Acd acd;
    private final CtiHub cti;
    /** Features wired in by the app that follow every event after the desks (e.g. supervision, SUP-2). */
    private final List<Consumer<CallEvent>> followers = new CopyOnWriteArrayList<>();

    public Switchboard(CallBook book, RoutingData data, CallRouter router, CallRecorder recorder, DeskCallControl desk, AcdHost queues, Acd acd,
                       CtiHub cti) {
        this.book = book;
        this.data = data;
        this.router = router;
        this.recorder = recorder;
        this.desk = desk;
        this.queues = queues;
        this.acd = acd;
        this.cti = cti;
    }

    /** Adds a feature that sees every call event, right after the desks' call control. */
    public void follow(Consumer<CallEvent> follower) {
        followers.add(follower);
    }

    @Override
    public void onIncomingCall(CallEvent.IncomingCall call) {
        router.route(call);
    }

    @Override
    public void onEvent(CallEvent event) {
        try {
            follow(event);
        } finally {
            if (!(event instanceof CallEvent.RecordingFinished)) {
                router.afterEvent(event);
                acd.onEvent(event);
                cti.onEvent(event);
            }
        }
    }

    private void follow(CallEvent event) {
        if (event instanceof CallEvent.ChannelHungUp h) data.legEnded(h.channelId());
        desk.onEvent(event);
        for (Consumer<CallEvent> f : followers) f.accept(event);
        if (router.takes(event)) return;
        if (event instanceof CallEvent.RecordingFinished f) {
            if (!router.voicemailFinished(f)) recorder.finished(f);
            return;
        }
        Call c = book.find(event.channelId()).orElse(null);
        if (c == null) {
            if (event instanceof CallEvent.TransferRequested t) t.transfer().reject();
            return;
        }
        long e = c.enterpriseId();
        if (event instanceof CallEvent.ChannelRinging r) {
            book.record(c, new CallLogEvent.Ringing(e, c.callId(), r.at(), r.channelId()));
        } else if (event instanceof CallEvent.ChannelAnswered a) {
            boolean first = !c.tracker().answered();
            book.record(c, new CallLogEvent.Answered(e, c.callId(), a.at(), a.channelId()));
            if (first) recorder.answered(e, c.callId(), c.direction(), Arrays.asList(c.tracker().inboundCaller(), c.tracker().dialled()),
                    data.engine().channel(c.callId()), a.at());
            router.answered(c, a.channelId());
            desk.answered(c, a.channelId());
        } else if (event instanceof CallEvent.ChannelHold h) {
            book.record(c, new CallLogEvent.Hold(e, c.callId(), h.at(), h.channelId(), h.held()));
            router.musicOnHold(c, h);
        } else if (event instanceof CallEvent.ChannelHungUp h) {
            router.hungUp(h.channelId());
            desk.hungUp(h.channelId());
            queues.beforeHangup(c, h);
            MediaQuality m = h.media();
            if (m.packetsReceived() > 0 || m.rtcpReceived() > 0) {
                book.record(c, new CallLogEvent.MediaReport(e, c.callId(), h.at(), h.channelId(), new LegQuality(h.channelId(), m.codec(),
                        m.packetsReceived(), m.packetsLost(), m.lossPercent(), m.jitterMs(), m.rtcpSent(), m.rtcpReceived(), m.rttMs(),
                        m.remoteLossPercent(), m.remoteJitterMs())));
            }
            book.record(c, new CallLogEvent.HungUp(e, c.callId(), h.at(), h.channelId(), h.cause().name(), h.sipStatus()));
        } else if (event instanceof CallEvent.TransferRequested t) {
            router.phoneTransfer(c, t);
        } else if (event instanceof CallEvent.ChannelBridged b) {
            router.bridgedToHeld(c, b);
        }
    }
}
