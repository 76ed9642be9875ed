package dev.hotline.engine.webrtc;

import dev.hotline.engine.Engines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.CallHandler;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.ChannelState;
import dev.hotline.engine.call.DialRequest;
import dev.hotline.engine.call.EngineConfig;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.engine.call.InboundPolicy;
import dev.hotline.engine.call.PlaybackRequest;
import dev.hotline.engine.call.Target;
import dev.hotline.engine.call.TelephonyEngine;
import dev.hotline.engine.call.WebRtcConnection;
import dev.hotline.engine.media.AudioClip;
import dev.hotline.engine.testing.Ports;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Smoke test with a real Chromium (Debian chromium 156, flags of DESIGN.md): a static page served
 * from 127.0.0.1 opens one RTCPeerConnection with the fake microphone and posts its offer; the
 * engine answers; ICE, DTLS and SRTP complete; a call channel on the connection is answered and
 * plays a tone: the browser's getStats shows inbound audio bytes rising and the engine decrypts the
 * browser's microphone. The browser offers Opus and the engine takes it (MEDIA-6); bridged to a G.711 phone, the call
 * carries audio both ways through the transcoding relay, and the browser's RTCP gives the leg a round trip.
 */
class WebRtcChromiumTest {
    private static final Logger log = LoggerFactory.getLogger(WebRtcChromiumTest.class);
    static final Path BROWSER = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    static final Duration WAIT = Duration.ofSeconds(30);

    static final String PAGE = """
            <!doctype html><html><head><meta charset="utf-8"><title>hotline webrtc smoke</title></head><body>
            <script>
            window.state = {phase: 'start'};
            async function go() {
              try {
                const stream = await navigator.mediaDevices.getUserMedia({audio: true});
                const pc = new RTCPeerConnection({bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require'});
                window.pc = pc;
                pc.ontrack = e => {
                  // What the browser plays: a muted element keeps the remote track flowing, an analyser measures it.
                  const remote = e.streams[0] || new MediaStream([e.track]);
                  const el = new Audio(); el.srcObject = remote; el.muted = true; el.play().catch(() => {});
                  const ctx = new AudioContext(); const an = ctx.createAnalyser(); an.fftSize = 2048;
                  ctx.createMediaStreamSource(remote).connect(an);
                  window.audio = {el, ctx, an};
                };
                stream.getTracks().forEach(t => pc.addTrack(t, stream));
                const offer = await pc.createOffer();
                await pc.setLocalDescription(offer);
                const r = await fetch('/offer', {method: 'POST', body: pc.localDescription.sdp});
                const text = await r.text();
                if (!r.ok) throw new Error('offer refused: ' + r.status + ' ' + text);
                await pc.setRemoteDescription({type: 'answer', sdp: text});
                window.state.phase = 'answered';
              } catch (e) { window.state.error = String(e); }
            }
            window.peak = () => {
              if (!window.audio) return {hz: 0, power: 0};
              const an = window.audio.an; const d = new Float32Array(an.frequencyBinCount); an.getFloatFrequencyData(d);
              let power = 0, best = 0, at = 0;
              for (let i = 2; i < d.length; i++) { const p = Math.pow(10, d[i] / 10); power += p; if (p > best) { best = p; at = i; } }
              return {hz: at * window.audio.ctx.sampleRate / an.fftSize, power: power};
            };
            window.inbound = async () => {
              const out = {bytes: 0, packets: 0, energy: 0, codec: '', sentCodec: '', ice: 'none', conn: 'none', error: window.state.error || ''};
              if (!window.pc) return out;
              out.ice = window.pc.iceConnectionState; out.conn = window.pc.connectionState;
              const stats = await window.pc.getStats();
              const codecs = {};
              stats.forEach(r => { if (r.type === 'codec') codecs[r.id] = r.mimeType; });
              stats.forEach(r => {
                if (r.type === 'inbound-rtp' && r.kind === 'audio') {
                  out.bytes = r.bytesReceived; out.packets = r.packetsReceived;
                  out.energy = r.totalAudioEnergy || 0; out.codec = codecs[r.codecId] || '';
                }
                if (r.type === 'outbound-rtp' && r.kind === 'audio') out.sentCodec = codecs[r.codecId] || '';
              });
              return out;
            };
            go();
            </script></body></html>
            """;

    @Test
    void chromiumConnectsAndHearsTheCall() throws Exception {
        assertThat(BROWSER).as("apt-get install chromium").isExecutable();
        assertThat(DRIVER).as("apt-get install chromium-driver").isExecutable();
        List<CallEvent> events = new CopyOnWriteArrayList<>();
        int sipPort = Ports.free();
        int rtp = Ports.free(40);
        EngineConfig config = EngineConfig.defaults().withBind("127.0.0.1", sipPort).withRtpPorts(rtp, rtp + 39);
        AtomicReference<String> offerSeen = new AtomicReference<>();
        AtomicReference<String> answerSeen = new AtomicReference<>();
        try (TelephonyEngine engine = Engines.start(config, (d, u) -> Optional.empty(),
                s -> InboundPolicy.Decision.TRUSTED, new CallHandler() {
                    @Override
                    public void onIncomingCall(CallEvent.IncomingCall call) {
                        call.channel().reject(404);
                    }

                    @Override
                    public void onEvent(CallEvent event) {
                        events.add(event);
                    }
                })) {
            HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            http.createContext("/", ex -> reply(ex, 200, "text/html", PAGE));
            http.createContext("/offer", ex -> {
                String offer = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                offerSeen.set(offer);
                try {
                    WebRtcConnection c = engine.webRtcConnect("chrome", offer);
                    answerSeen.set(c.answerSdp());
                    reply(ex, 200, "application/sdp", c.answerSdp());
                } catch (IllegalArgumentException e) {
                    reply(ex, 400, "text/plain", e.getMessage());
                }
            });
            http.start();
            Path profile = Files.createTempDirectory("hotline-engine-chromium-");
            ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                    .usingAnyFreePort().build();
            ChromeOptions options = new ChromeOptions();
            options.setBinary(BROWSER.toFile());
            List<String> args = new ArrayList<>(List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--user-data-dir=" + profile,
                    "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", "--autoplay-policy=no-user-gesture-required",
                    "--allow-loopback-in-peer-connection", "--disable-features=WebRtcHideLocalIpsWithMdns",
                    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1"));
            options.addArguments(args);
            ChromeDriver driver = new ChromeDriver(service, options);
            try {
                driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(15));
                driver.get("http://127.0.0.1:" + http.getAddress().getPort() + "/");
                await("ICE + DTLS-SRTP with Chromium").atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() ->
                        engine.webRtcConnection("chrome").map(WebRtcConnection::connected).orElse(false)
                        || !String.valueOf(stats(driver).get("error")).isEmpty());
                assertThat(stats(driver).get("error")).as("page error; offer was:\n" + offerSeen.get()).isEqualTo("");
                assertThat(events).anyMatch(e -> e instanceof CallEvent.WebRtcConnectionChanged w && w.up());

                Channel agent = engine.originate(DialRequest.to(new Target.WebRtc("chrome")));
                await().atMost(WAIT).until(() -> agent.state() == ChannelState.RINGING);
                short[] tone = new short[8000];
                for (int i = 0; i < tone.length; i++) {
                    tone[i] = (short) (6000 * Math.sin(2 * Math.PI * 440 * i / 8000.0));
                }
                long clicked = System.nanoTime();
                agent.answer();
                agent.play(PlaybackRequest.of(AudioClip.of(tone)).looping());
                await().atMost(WAIT).pollInterval(Duration.ofMillis(2)).until(() -> agent.counters().packetsOut() > 0);
                log.info("answer to first SRTP packet towards Chromium: {} ms", (System.nanoTime() - clicked) / 1_000_000);
                await("inbound audio in getStats").atMost(WAIT).pollInterval(Duration.ofMillis(200))
                        .until(() -> ((Number) stats(driver).get("bytes")).longValue() > 2000);
                long bytes1 = ((Number) stats(driver).get("bytes")).longValue();
                await("inbound audio bytes rising").atMost(WAIT).pollInterval(Duration.ofMillis(200))
                        .until(() -> ((Number) stats(driver).get("bytes")).longValue() > bytes1 + 2000);
                // The fake microphone's SRTP is decrypted by the engine.
                await("Chromium's microphone decrypted").atMost(WAIT).until(() -> agent.counters().packetsIn() > 50);
                log.info("Chromium stats {}; engine counters {}", stats(driver), agent.counters());
                assertThat(answerSeen.get()).as("Opus taken from the browser's offer").containsPattern("a=rtpmap:\\d+ opus/48000/2");
                assertThat(stats(driver).get("codec")).isEqualTo("audio/opus");
                assertThat(stats(driver).get("sentCodec")).isEqualTo("audio/opus");
                assertThat(agent.mediaQuality().codec()).isEqualTo("opus");

                // MEDIA-1/6: bridged to a phone that speaks only A-law, the call carries audio both ways (transcoded).
                agent.stopPlayback();
                try (G711Phone phone = G711Phone.answering(engine, sipPort)) {
                    engine.bridge(agent, phone.channel);
                    phone.sendTone(true);
                    await("the phone's 1 kHz tone played by the browser").atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
                        Map<String, Object> p = peak(driver);
                        return ((Number) p.get("hz")).doubleValue() > 950 && ((Number) p.get("hz")).doubleValue() < 1050
                                && ((Number) p.get("power")).doubleValue() > 1e-5;
                    });
                    log.info("browser's audio: {}", peak(driver));
                    // Chromium's fake microphone beeps; decoded from Opus and coded as A-law for the phone.
                    await("the browser's microphone heard by the phone").atMost(WAIT).pollInterval(Duration.ofMillis(100))
                            .until(() -> phone.loudestRms() > 1000);
                    assertThat(phone.channel.mediaQuality().codec()).isEqualTo("PCMA");
                    // RTCP of the leg (RFC 3550 over SRTCP): Chromium's receiver reports answer our sender reports.
                    await("a round trip from Chromium's RTCP").atMost(WAIT).pollInterval(Duration.ofMillis(200))
                            .until(() -> agent.mediaQuality().rttMs() != null);
                    log.info("browser leg {}; phone leg {}", agent.mediaQuality(), phone.channel.mediaQuality());
                    assertThat(agent.mediaQuality().rttMs()).isBetween(0.0, 500.0);
                    assertThat(agent.mediaQuality().remoteLossPercent()).isNotNull();
                    await("the browser's audio keeps coming to the phone").atMost(WAIT).pollInterval(Duration.ofMillis(100))
                            .until(() -> phone.packetsHeard() > 150);
                }
                agent.hangup(HangupCause.NORMAL_CLEARING);
                engine.webRtcDisconnect("chrome");
            } finally {
                driver.quit();
                service.stop();
                http.stop(0);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> peak(ChromeDriver driver) {
        return (Map<String, Object>) driver.executeScript("return window.peak();");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stats(ChromeDriver driver) {
        return (Map<String, Object>) driver.executeAsyncScript(
                "const cb = arguments[arguments.length - 1]; window.inbound().then(cb, e => cb({error: String(e), bytes: 0}));");
    }

    private static void reply(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", type + "; charset=utf-8");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }
}
