package dev.hotline.ops;

import dev.hotline.acd.Acd;
import dev.hotline.acd.AgentState;
import dev.hotline.acd.AgentView;
import dev.hotline.acd.QueueLive;
import dev.hotline.engine.call.TelephonyEngine;
import dev.hotline.report.CallRecord;
import dev.hotline.report.EventLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * OPS-4: the server's metrics in Prometheus' text format. Counters of finished calls come from the event log once their
 * records are committed, so they agree with the call records; SIP and RTP counters from the engine; live figures
 * (channels, callers waiting, agents by state, the event log's backlog) are read when scraped. Nothing here runs on a
 * call's path: the engine only adds to counters, and the per-enterprise figures are gathered by the scrape.
 */
public final class Metrics implements AutoCloseable {
    private static final String[] CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx", "6xx"};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Acd acd;
    private final Jdbi jdbi;
    private final MultiGauge waiting;
    private final MultiGauge longestWait;
    private final MultiGauge agents;
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public Metrics(TelephonyEngine engine, EventLog log, Acd acd, Jdbi jdbi) {
        this.acd = acd;
        this.jdbi = jdbi;
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);

        Gauge.builder("hotline.channels.active", engine, TelephonyEngine::liveChannels)
                .description("Call legs alive in the engine").register(registry);
        FunctionCounter.builder("hotline.sip.requests.received", engine, e -> e.sipStats().requestsIn())
                .description("SIP requests received").register(registry);
        for (int i = 0; i < CLASSES.length; i++) {
            int k = i;
            FunctionCounter.builder("hotline.sip.responses", engine, e -> e.sipStats().responsesIn().get(k))
                    .tags("direction", "received", "class", CLASSES[k]).description("SIP responses by class").register(registry);
            FunctionCounter.builder("hotline.sip.responses", engine, e -> e.sipStats().responsesOut().get(k))
                    .tags("direction", "sent", "class", CLASSES[k]).description("SIP responses by class").register(registry);
        }
        FunctionCounter.builder("hotline.sip.overload.refused", engine, e -> e.overload().status().refusedRate())
                .tags("reason", "rate").description("New calls refused 503 by overload control").register(registry);
        FunctionCounter.builder("hotline.sip.overload.refused", engine, e -> e.overload().status().refusedDelay())
                .tags("reason", "queue_delay").description("New calls refused 503 by overload control").register(registry);
        FunctionCounter.builder("hotline.sip.overload.refused", engine, e -> e.overload().status().refusedPressure())
                .tags("reason", "event_backlog").description("New calls refused 503 by overload control").register(registry);
        Gauge.builder("hotline.sip.call.queue.delay", engine, e -> e.overload().status().queueDelayMillis())
                .baseUnit("milliseconds").description("How long work waits for the call threads (overload control's probe)")
                .register(registry);
        FunctionCounter.builder("hotline.rtp.legs.ended", engine, e -> e.mediaStats().legsEnded())
                .description("Call legs whose media ended").register(registry);
        FunctionCounter.builder("hotline.rtp.packets.received", engine, e -> e.mediaStats().packetsIn())
                .description("RTP packets received by the legs that ended").register(registry);
        FunctionCounter.builder("hotline.rtp.packets.lost", engine, e -> e.mediaStats().packetsLost())
                .description("RTP packets lost on the way in (RFC 3550 counting) by the legs that ended").register(registry);
        Gauge.builder("hotline.rtp.jitter.mean", engine, e -> {
            var m = e.mediaStats();
            return m.legsWithAudio() == 0 ? 0 : m.jitterMsSum() / m.legsWithAudio();
        }).baseUnit("milliseconds").description("Mean interarrival jitter (RFC 3550) of the legs that ended").register(registry);
        // The sum and the count, so that a window's mean is rate(sum) / rate(count) (the gauge above is the mean since start).
        FunctionCounter.builder("hotline.rtp.jitter", engine, e -> e.mediaStats().jitterMsSum()).baseUnit("milliseconds")
                .description("Sum of the interarrival jitter (RFC 3550) of the legs that ended with audio received").register(registry);
        FunctionCounter.builder("hotline.rtp.legs.with.audio", engine, e -> e.mediaStats().legsWithAudio())
                .description("Call legs that ended having received RTP").register(registry);
        Gauge.builder("hotline.rtp.live.legs", engine, e -> e.mediaStats().liveLegs())
                .description("Call legs with media up now").register(registry);
        Gauge.builder("hotline.rtp.live.packets.received", engine, e -> e.mediaStats().livePacketsIn())
                .description("RTP packets received so far by the legs up now").register(registry);
        Gauge.builder("hotline.rtp.live.packets.lost", engine, e -> e.mediaStats().livePacketsLost())
                .description("RTP packets lost so far (RFC 3550 counting) by the legs up now").register(registry);
        Gauge.builder("hotline.rtp.live.jitter.mean", engine, e -> {
            var m = e.mediaStats();
            return m.liveLegsWithAudio() == 0 ? 0 : m.liveJitterMsSum() / m.liveLegsWithAudio();
        }).baseUnit("milliseconds").description("Mean interarrival jitter (RFC 3550) of the legs up now").register(registry);

        Gauge.builder("hotline.event.log.backlog", log, EventLog::backlog).description("Call and agent events waiting to be written")
                .register(registry);
        Gauge.builder("hotline.event.log.lag", log, l -> l.lag().toMillis() / 1000.0).baseUnit("seconds")
                .description("How long the oldest event waiting to be written has waited").register(registry);
        FunctionCounter.builder("hotline.event.log.written", log, EventLog::written).description("Events written").register(registry);
        log.onRecorded(this::recorded);

        waiting = MultiGauge.builder("hotline.queue.waiting").description("Callers waiting in a queue now").register(registry);
        longestWait = MultiGauge.builder("hotline.queue.longest.wait").baseUnit("seconds")
                .description("How long the longest waiting caller of a queue has waited").register(registry);
        agents = MultiGauge.builder("hotline.agents").description("Agents by state now").register(registry);
    }

    private void recorded(CallRecord r) {
        Counter.builder("hotline.calls").description("Calls finished (their records written), by direction and outcome")
                .tags("direction", r.direction() == null ? "" : r.direction(), "outcome", r.outcome() == null ? "" : r.outcome().key())
                .register(registry).increment();
    }

    /** The metrics now, in Prometheus' text format. */
    public String scrape() {
        List<MultiGauge.Row<?>> w = new ArrayList<>();
        List<MultiGauge.Row<?>> l = new ArrayList<>();
        List<MultiGauge.Row<?>> a = new ArrayList<>();
        for (Map<String, Object> e : jdbi.withHandle(h -> h.createQuery("SELECT id, code FROM enterprise WHERE enabled").mapToMap().list())) {
            long id = ((Number) e.get("id")).longValue();
            String code = String.valueOf(e.get("code"));
            for (QueueLive q : acd.live(id)) {
                Tags tags = Tags.of("enterprise", code, "queue", q.name());
                w.add(MultiGauge.Row.of(tags, q.waiting()));
                l.add(MultiGauge.Row.of(tags, q.longestWaitSeconds()));
            }
            Map<AgentState, Integer> byState = new java.util.EnumMap<>(AgentState.class);
            for (AgentState s : AgentState.values()) byState.put(s, 0);
            for (AgentView v : acd.agents(id)) byState.merge(v.state(), 1, Integer::sum);
            byState.forEach((s, n) -> a.add(MultiGauge.Row.of(Tags.of("enterprise", code, "state", s.key()), n)));
        }
        waiting.register(w, true);
        longestWait.register(l, true);
        agents.register(a, true);
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
