package dev.hotline.engine.bench;

import dev.hotline.engine.Engines;
import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.CallHandler;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.DialRequest;
import dev.hotline.engine.call.Direction;
import dev.hotline.engine.call.EngineConfig;
import dev.hotline.engine.call.InboundPolicy;
import dev.hotline.engine.call.PlaybackRequest;
import dev.hotline.engine.call.Target;
import dev.hotline.engine.call.TelephonyEngine;
import dev.hotline.engine.media.AudioClip;
import dev.hotline.engine.call.LegCounters;
import dev.hotline.engine.sip.SipEngine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Engine-only B2BUA for the bench scripts: every INVITE on {@code sipPort} is bridged to the SIPp UAS at
 * 127.0.0.1:{@code uasPort}, except calls to user {@code ivr}, which are answered, hear a 1 s prompt and
 * wait for one DTMF key. Usage: {@code B2buaBenchMain sipPort uasPort [rtpMin rtpMax [statsFile]]}; with a
 * stats file, cumulative counters are written there as JSON every 500 ms. Runs until killed.
 */
public final class B2buaBenchMain {
    private B2buaBenchMain() {
    }

    /** Cumulative RTP counters of the inbound legs (the caller side of every call). */
    static final AtomicLong PKT_IN = new AtomicLong();
    static final AtomicLong PKT_OUT = new AtomicLong();
    static final AtomicLong PKT_LOST = new AtomicLong();
    static final AtomicLong IVR_CALLS = new AtomicLong();
    static final AtomicLong IVR_DIGITS = new AtomicLong();
    static final AtomicLong IVR_PROMPTS = new AtomicLong();
    static final Map<String, Channel> LIVE = new ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        int sipPort = Integer.parseInt(args[0]);
        int uasPort = Integer.parseInt(args[1]);
        int rtpMin = args.length > 2 ? Integer.parseInt(args[2]) : 20000;
        int rtpMax = args.length > 3 ? Integer.parseInt(args[3]) : 29999;
        Path stats = args.length > 4 ? Path.of(args[4]) : null;
        EngineConfig config = EngineConfig.defaults().withBind("127.0.0.1", sipPort).withRtpPorts(rtpMin, rtpMax)
                .withTimeouts(Duration.ofSeconds(30), Duration.ZERO, Duration.ZERO)
                .withAuthThrottle(0, Duration.ofMinutes(1), Duration.ofMinutes(1));
        TelephonyEngine[] holder = new TelephonyEngine[1];
        Target uas = Target.Uri.udp("uas", "127.0.0.1", uasPort);
        short[] tone = new short[8000];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (short) (6000 * Math.sin(2 * Math.PI * 1000 * i / 8000.0));
        }
        AudioClip prompt = AudioClip.of(tone);
        CallHandler handler = new CallHandler() {
            @Override
            public void onIncomingCall(CallEvent.IncomingCall call) {
                Channel ch = call.channel();
                if (stats != null) {
                    LIVE.put(ch.id(), ch);
                }
                if ("ivr".equals(call.callee().user())) {
                    IVR_CALLS.incrementAndGet();
                    ch.answer();
                    ch.play(PlaybackRequest.of(prompt));
                    ch.collectDigits(1, '#', Duration.ofSeconds(10), Duration.ofSeconds(5));
                    return;
                }
                holder[0].dial(ch, DialRequest.to(new Target.Uri(call.callee().user(), "127.0.0.1", uasPort, "udp")));
            }

            @Override
            public void onEvent(CallEvent event) {
                if (event instanceof CallEvent.DigitsCollected d && d.digits().equals("1")) {
                    IVR_DIGITS.incrementAndGet();
                } else if (event instanceof CallEvent.PlaybackFinished p && p.completed()) {
                    IVR_PROMPTS.incrementAndGet();
                } else if (event instanceof CallEvent.ChannelHungUp h && stats != null) {
                    Channel ch = LIVE.remove(h.channelId());
                    if (ch != null && ch.direction() == Direction.INBOUND) {
                        LegCounters c = ch.counters();
                        PKT_IN.addAndGet(c.packetsIn());
                        PKT_OUT.addAndGet(c.packetsOut());
                        PKT_LOST.addAndGet(c.packetsLost());
                    }
                }
            }
        };
        holder[0] = Engines.start(config, (d, u) -> Optional.empty(), s -> InboundPolicy.Decision.TRUSTED, handler);
        if (stats != null) {
            ScheduledExecutorService ses = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "bench-stats");
                t.setDaemon(true);
                return t;
            });
            ses.scheduleAtFixedRate(() -> writeStats(stats, (SipEngine) holder[0]), 500, 500, TimeUnit.MILLISECONDS);
        }
        System.out.println("READY " + sipPort + " -> " + uas);
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(holder[0]::close));
        new CountDownLatch(1).await();
    }

    private static void writeStats(Path file, SipEngine engine) {
        try {
            long in = PKT_IN.get();
            long out = PKT_OUT.get();
            long lost = PKT_LOST.get();
            int live = 0;
            for (Channel ch : LIVE.values()) {
                if (ch.direction() == Direction.INBOUND) {
                    LegCounters c = ch.counters();
                    in += c.packetsIn();
                    out += c.packetsOut();
                    lost += c.packetsLost();
                    live++;
                }
            }
            String json = String.format("{\"t\":%d,\"live_calls\":%d,\"live_legs\":%d,\"media_clock_legs\":%d,"
                            + "\"caller_pkts_in\":%d,\"caller_pkts_out\":%d,\"caller_pkts_lost\":%d,"
                            + "\"ivr_calls\":%d,\"ivr_prompts_completed\":%d,\"ivr_digits\":%d}%n",
                    System.currentTimeMillis(), live, engine.liveLegs(), engine.mediaActiveLegs(), in, out, lost,
                    IVR_CALLS.get(), IVR_PROMPTS.get(), IVR_DIGITS.get());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, json, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (Exception e) {
            // best effort
        }
    }

}
