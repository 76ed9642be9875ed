package dev.hotline.widget;

import dev.hotline.acd.Acd;
import dev.hotline.domain.DomainException;
import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.CallerId;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.DialRequest;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.engine.call.Target;
import dev.hotline.engine.call.TelephonyEngine;
import dev.hotline.engine.call.WebRtcConnection;
import dev.hotline.report.CallLogEvent;
import dev.hotline.routing.CallBook;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The visitors' calls from the "call us" widget (API-3). A visitor's browser sends its WebRTC offer; the engine opens a
 * WebRTC connection for it exactly as for an agent's browser phone ({@link TelephonyEngine#webRtcConnect}, key
 * {@code widget-<token>}) and a browser leg is placed on it ({@link Target.WebRtc}); the server answers that leg at once
 * (the visitor asked for the call) and puts it in the widget's queue like an inbound caller ("web:&lt;id&gt;"), with its own
 * call record and events, the page it came from among them ({@link CallLogEvent.WidgetCall}). The ACD offers it to an agent
 * and bridges them as any queue call. Hanging up (either side), the queue giving up, or the visitor's page going quiet
 * (no status poll for {@link #SILENT}) ends the leg and closes the visitor's connection.
 *
 * <p>Events are handled on this object's thread ("hotline-widget"), in order.
 */
public final class WidgetCalls implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WidgetCalls.class);
    /** A visitor's page that has not asked for its call's state this long has gone: the call ends. */
    static final Duration SILENT = Duration.ofSeconds(30);
    /** An ended call's state stays readable this long (the page's last polls). */
    static final Duration KEEP_ENDED = Duration.ofMinutes(2);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Acd acd;
    private final CallBook book;
    private final Supplier<TelephonyEngine> engine;
    private final Clock clock;
    final RateLimits limits = new RateLimits();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hotline-widget");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Visit> byToken = new ConcurrentHashMap<>();
    private final Map<String, Visit> byLeg = new ConcurrentHashMap<>();

    /** One visitor's call. Its state changes on this object's thread only, through {@link #move}. */
    private static final class Visit {
        final String token;
        final String visitor;
        final long enterpriseId;
        final String widgetKey;
        final String queue;
        volatile VisitState state = VisitState.CONNECTING;
        volatile Channel leg;
        volatile String callId;
        volatile Instant lastSeen;
        volatile Instant endedAt;

        Visit(String token, String visitor, long enterpriseId, String widgetKey, String queue, Instant now) {
            this.token = token;
            this.visitor = visitor;
            this.enterpriseId = enterpriseId;
            this.widgetKey = widgetKey;
            this.queue = queue;
            this.lastSeen = now;
        }

        String connectionKey() {
            return "widget-" + token;
        }
    }

    /** What the visitor's page gets back: its call's secret token, its caller name, the call id and the SDP answer. */
    public record Started(String token, String visitor, String callId, String sdp) {}

    /** The state of a visitor's call. */
    public record Status(VisitState state, String visitor) {}

    public WidgetCalls(Acd acd, CallBook book, Supplier<TelephonyEngine> engine, Clock clock) {
        this.acd = acd;
        this.book = book;
        this.engine = engine;
        this.clock = clock;
    }

    public void start() {
        thread.scheduleWithFixedDelay(this::sweep, 5, 5, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }

    /**
     * Places a visitor's call into {@code widget}'s queue from the browser's {@code offerSdp}, answered with Opus when
     * offered and {@code opus} (the enterprise's MEDIA-6 switch), else G.711.
     */
    Started call(long enterpriseId, Widget widget, String offerSdp, boolean opus, String origin, String page) {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        String token = HexFormat.of().formatHex(b);
        Instant now = clock.instant();
        Visit v = new Visit(token, "web:" + token.substring(0, 6), enterpriseId, widget.key(), widget.queue(), now);
        WebRtcConnection conn;
        try {
            conn = engine.get().webRtcConnect(v.connectionKey(), offerSdp, opus);
        } catch (IllegalArgumentException e) {
            throw DomainException.invalid("sdp", "not a usable WebRTC offer: " + e.getMessage());
        } catch (IllegalStateException e) {
            throw DomainException.unavailable("no_media_port", "no media port free; try again later");
        }
        byToken.put(token, v);
        try {
            engine.get().originate(DialRequest.to(new Target.WebRtc(v.connectionKey())).withCallerId(CallerId.of(v.visitor))
                    .withTimeout(Duration.ofSeconds(20)), leg -> {
                v.leg = leg;
                byLeg.put(leg.id(), v);
                CallBook.Call c = book.begin(enterpriseId, leg, "inbound", v.visitor, "widget-" + widget.id(), null, null);
                v.callId = c.callId();
                book.record(c, new CallLogEvent.WidgetCall(enterpriseId, c.callId(), now, leg.id(), widget.id(), origin, page));
            });
        } catch (RuntimeException e) {
            log.warn("widget {}: cannot place the visitor's call: {}", widget.id(), e.toString());
            byToken.remove(token);
            if (v.leg != null) byLeg.remove(v.leg.id());
            engine.get().webRtcDisconnect(v.connectionKey());
            throw DomainException.unavailable("call_failed", "the call could not be placed; try again later");
        }
        log.info("widget {}: {} calls queue {} from {}", widget.id(), v.visitor, widget.queue(), page);
        return new Started(token, v.visitor, v.callId, conn.answerSdp());
    }

    /** The state of the call of {@code token} made through {@code widgetKey} (the page polls it: it is alive). */
    Optional<Status> status(String widgetKey, String token) {
        Visit v = byToken.get(token);
        if (v == null || !v.widgetKey.equals(widgetKey)) return Optional.empty();
        v.lastSeen = clock.instant();
        return Optional.of(new Status(v.state, v.visitor));
    }

    /** The visitor hangs up. */
    boolean hangup(String widgetKey, String token) {
        Visit v = byToken.get(token);
        if (v == null || !v.widgetKey.equals(widgetKey)) return false;
        thread.execute(() -> end(v, "visitor"));
        return true;
    }

    /** Every engine event (from the switchboard): those of the visitors' legs and connections go to this object's thread. */
    public void onEvent(CallEvent e) {
        if (e instanceof CallEvent.WebRtcConnectionChanged w) {
            if (!w.up() && w.key().startsWith("widget-")) {
                Visit v = byToken.get(w.key().substring("widget-".length()));
                if (v != null) thread.execute(() -> end(v, "connection lost"));
            }
            return;
        }
        Visit v = byLeg.get(e.channelId());
        // A bridge is reported for one of its two legs: the visitor's may be the other one.
        if (v == null && e instanceof CallEvent.ChannelBridged b) v = byLeg.get(b.otherChannelId());
        if (v == null && e instanceof CallEvent.ChannelUnbridged u) v = byLeg.get(u.otherChannelId());
        if (v != null) {
            Visit visit = v;
            thread.execute(() -> handle(visit, e));
        }
    }

    private void handle(Visit v, CallEvent e) {
        try {
            if (e instanceof CallEvent.ChannelRinging && v.state == VisitState.CONNECTING) {
                v.leg.answer();
            } else if (e instanceof CallEvent.ChannelAnswered && v.state == VisitState.CONNECTING) {
                boolean queued = acd.enqueue(v.enterpriseId, v.callId, v.leg, v.visitor, v.queue, 0, false);
                if (queued) {
                    move(v, VisitState.QUEUED);
                } else {
                    log.warn("{}: queue {} is gone; the call ends", v.visitor, v.queue);
                    v.leg.hangup(HangupCause.NORMAL_CLEARING);
                }
            } else if (e instanceof CallEvent.ChannelBridged && v.state == VisitState.QUEUED) {
                move(v, VisitState.TALKING);
            } else if (e instanceof CallEvent.ChannelUnbridged && v.state == VisitState.TALKING) {
                move(v, VisitState.QUEUED);
            } else if (e instanceof CallEvent.ChannelHungUp && v.leg != null && e.channelId().equals(v.leg.id())) {
                byLeg.remove(e.channelId());
                finish(v);
            }
        } catch (RuntimeException ex) {
            log.error("{}: event {} failed", v.visitor, e.getClass().getSimpleName(), ex);
        }
    }

    /** Ends the visitor's call (this object's thread). */
    private void end(Visit v, String why) {
        if (v.state == VisitState.ENDED) return;
        log.info("{}: call ends ({})", v.visitor, why);
        Channel leg = v.leg;
        if (leg != null) {
            leg.hangup(HangupCause.NORMAL_CLEARING); // its hang-up event finishes the visit
        } else {
            finish(v);
        }
    }

    private void finish(Visit v) {
        if (v.state != VisitState.ENDED) move(v, VisitState.ENDED);
        engine.get().webRtcDisconnect(v.connectionKey());
    }

    /** The one place a visit's state changes; an illegal move is a bug and fails loudly. */
    private void move(Visit v, VisitState to) {
        if (!v.state.next().contains(to)) throw new IllegalStateException(v.visitor + ": " + v.state + " -> " + to + " is not allowed");
        v.state = to;
        if (to == VisitState.ENDED) v.endedAt = clock.instant();
    }

    /** Every few seconds: calls whose page went quiet end; ended ones are forgotten after a while; old counters go. */
    private void sweep() {
        try {
            Instant now = clock.instant();
            for (Visit v : List.copyOf(byToken.values())) {
                if (v.state == VisitState.ENDED) {
                    if (v.endedAt != null && v.endedAt.plus(KEEP_ENDED).isBefore(now)) byToken.remove(v.token);
                } else if (v.lastSeen.plus(SILENT).isBefore(now)) {
                    end(v, "the page stopped asking");
                }
            }
            limits.sweep(now);
        } catch (RuntimeException e) {
            log.error("widget sweep failed", e);
        }
    }
}
