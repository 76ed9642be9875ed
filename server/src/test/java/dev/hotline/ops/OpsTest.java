package dev.hotline.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.RtpCaller;
import dev.hotline.testing.SipPeers;
import dev.hotline.testing.TestDatabases;
import dev.hotline.testing.TestServer;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

/** OPS-4: liveness and readiness probes, and Prometheus metrics that agree with the call records of a SIPp run. */
class OpsTest {
    static final String PW = TestServer.DEMO_PASSWORD;

    /** The value of the sample {@code name{labels}} in Prometheus' text format (0 when absent). */
    static double sample(String text, String name, String labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$").matcher(text);
        double sum = 0;
        boolean found = false;
        while (m.find()) {
            boolean all = true;
            for (String l : labels.split(",")) if (!l.isBlank() && !m.group(1).contains(l.strip())) all = false;
            if (all) {
                sum += Double.parseDouble(m.group(2));
                found = true;
            }
        }
        return found ? sum : 0;
    }

    static double plain(String text, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*\\})? (\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    @Test
    void probesAnswerAndTheMetricsAgreeWithTheCallRecords() throws Exception {
        Path dir = Files.createTempDirectory("ops-sipp");
        try (TestServer server = TestServer.start()) {
            ApiClient anonymous = new ApiClient(server.baseUrl());
            assertThat(anonymous.get("/api/v1/health/live").json().get("status").asText()).isEqualTo("UP");
            // Each check has 1 s: on a machine loaded by other test JVMs a first probe can miss it; a ready server passes within 10 s.
            var readyNow = new java.util.concurrent.atomic.AtomicReference<ApiClient.Response>();
            org.awaitility.Awaitility.await("ready").atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> {
                        readyNow.set(anonymous.get("/api/v1/health/ready"));
                        return readyNow.get().status() == 200;
                    });
            var ready = readyNow.get();
            assertThat(ready.json().get("checks").get("database").get("status").asText()).isEqualTo("UP");
            assertThat(ready.json().get("checks").get("sip").get("status").asText()).isEqualTo("UP");

            ApiClient admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
            ApiClient operator = ApiClient.loggedIn(server.baseUrl(), "system", "operator", PW);
            assertThat(anonymous.get("/api/v1/metrics").status()).isEqualTo(401);
            assertThat(admin.get("/api/v1/metrics").status()).as("an enterprise's admin may not see every enterprise's figures").isEqualTo(403);
            String before = operator.get("/api/v1/metrics").body();
            assertThat(before).contains("jvm_memory_used_bytes", "hotline_channels_active", "hotline_event_log_backlog");
            assertThat(sample(before, "hotline_agents", "enterprise=\"demo\",state=\"logged_out\"")).isEqualTo(3);

            // Three answered calls to extension 1001 (a SIPp phone that echoes), one to a number nobody has.
            assertThat(admin.post("/api/v1/numbers", Map.of("number", "4697", "destinationType", "extension", "destination", "1001")).status())
                    .isEqualTo(201);
            SipPeers peers = new SipPeers(dir, server.hotline().engine().sipPort());
            int phonePort = Ports.free();
            Sipp.Run phone = new SipPeers(dir, server.hotline().engine().sipPort()).phone(phonePort);
            peers.register("1001", PW, phonePort, "200");
            try {
                for (int i = 0; i < 3; i++) SipPeers.ok(peers.uac("uac_call", "4697", SipPeers.vars("1350000009" + i, "PAUSE", "1000")));
            } finally {
                phone.kill();
            }
            Sipp.Run nowhere = peers.uac("uac_fail", "4698", SipPeers.vars("13500000099", "CODE", "404"));
            SipPeers.ok(nowhere);

            await("the records written").atMost(Duration.ofSeconds(10)).until(() -> admin.get("/api/v1/calls?limit=50").json().get("total").asInt() >= 4);
            JsonNode calls = admin.get("/api/v1/calls?limit=50").json().get("items");
            long answered = 0;
            for (JsonNode c : calls) if (c.get("outcome").asText().equals("answered") && c.get("direction").asText().equals("inbound")) answered++;
            assertThat(answered).isEqualTo(3);
            String after = await("the metrics caught up").atMost(Duration.ofSeconds(5)).until(() -> operator.get("/api/v1/metrics").body(),
                    t -> sample(t, "hotline_calls_total", "direction=\"inbound\",outcome=\"answered\"") == 3);
            assertThat(sample(after, "hotline_calls_total", "")).as("every call record counted once").isEqualTo(calls.size());
            assertThat(plain(after, "hotline_event_log_written_total")).as("the calls' events written")
                    .isGreaterThan(plain(before, "hotline_event_log_written_total") + 4);
            assertThat(plain(after, "hotline_event_log_lag_seconds")).as("the event log's lag when idle").isLessThan(5);
            // SIP: at least a 200 per answered call and one for each REGISTER, and the 404.
            assertThat(sample(after, "hotline_sip_responses_total", "direction=\"sent\",class=\"2xx\"")
                    - sample(before, "hotline_sip_responses_total", "direction=\"sent\",class=\"2xx\"")).isGreaterThanOrEqualTo(4);
            assertThat(sample(after, "hotline_sip_responses_total", "direction=\"sent\",class=\"4xx\"")).isGreaterThanOrEqualTo(1);
            assertThat(sample(after, "hotline_sip_responses_total", "direction=\"received\",class=\"2xx\"")).as("the phone's 200s").isGreaterThanOrEqualTo(3);
            // RTP: the callers sent SIPp's voice sample for a second each way; nothing is lost on loopback.
            await("the legs ended").atMost(Duration.ofSeconds(5)).until(() -> plain(operator.get("/api/v1/metrics").body(), "hotline_rtp_legs_ended_total") >= 6);
            String media = operator.get("/api/v1/metrics").body();
            assertThat(plain(media, "hotline_rtp_packets_received_total")).isGreaterThan(100);
            assertThat(plain(media, "hotline_rtp_packets_lost_total")).isZero();
            assertThat(plain(media, "hotline_rtp_jitter_mean_milliseconds")).isBetween(0.0, 20.0);
            assertThat(plain(media, "hotline_channels_active")).isZero();
            assertThat(sample(media, "hotline_queue_waiting", "enterprise=\"demo\",queue=\"sales\"")).isZero();

            // The legs up now: a caller in the demo menu losing every tenth packet is counted while its call lasts.
            try (RtpCaller caller = RtpCaller.call(server.hotline().engine().sipPort(), "13500000098", "4000")) {
                caller.impair(10, 0);
                String live = await("the live leg's loss").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                        .until(() -> operator.get("/api/v1/metrics").body(), t -> plain(t, "hotline_rtp_live_packets_lost") >= 5);
                assertThat(plain(live, "hotline_rtp_live_legs")).isGreaterThanOrEqualTo(1);
                assertThat(plain(live, "hotline_rtp_live_packets_received")).isGreaterThanOrEqualTo(45);
                assertThat(plain(live, "hotline_rtp_live_jitter_mean_milliseconds")).isBetween(0.0, 50.0);
                caller.bye();
            }
            await("no leg up").atMost(Duration.ofSeconds(10)).until(() -> plain(operator.get("/api/v1/metrics").body(), "hotline_rtp_live_legs") == 0);

            // Jitter: a caller waiting in the sales queue (no agent logged in) sends on a clock of its own: regularly, then every
            // other packet 10 ms late, then 16 packets at once (a burst after a stall). RFC 3550 A.8's estimate (J += (|D| - J) / 16)
            // of that is about 0, then rises to 10 ms (|D| = 10 ms on every packet), then towards 20 ms (D = -20 ms on each packet of
            // the burst). The test computes it from the moments its packets left; the server's figure, from their arrivals, must
            // follow within JITTER_BAND (the rest is loopback and the scheduling of the two threads).
            assertThat(admin.post("/api/v1/numbers", Map.of("number", "4696", "destinationType", "queue", "destination", "sales")).status())
                    .isEqualTo(201);
            double endedJitterBefore = plain(operator.get("/api/v1/metrics").body(), "hotline_rtp_jitter_milliseconds_total");
            double endedLegsBefore = plain(operator.get("/api/v1/metrics").body(), "hotline_rtp_legs_with_audio_total");
            try (RtpCaller caller = RtpCaller.call(server.hotline().engine().sipPort(), "13500000097", "4696")) {
                List<RtpCaller.Sent> sent = new ArrayList<>(caller.sendOnSchedule(100, i -> 0));
                double regular = liveJitterOnceReceived(operator, caller);
                double regularExpected = expectedJitterMs(sent);
                await("the caller counted waiting in sales for a second").atMost(Duration.ofSeconds(10)).until(() -> operator.get("/api/v1/metrics").body(),
                        t -> sample(t, "hotline_queue_waiting", "enterprise=\"demo\",queue=\"sales\"") == 1
                                && sample(t, "hotline_queue_longest_wait_seconds", "enterprise=\"demo\",queue=\"sales\"") >= 1);
                sent.addAll(caller.sendOnSchedule(150, i -> i % 2 == 1 ? 10_000_000L : 0));
                double alternating = liveJitterOnceReceived(operator, caller);
                double alternatingExpected = expectedJitterMs(sent);
                sent.addAll(caller.sendOnSchedule(17, i -> -20_000_000L * i));
                double burst = liveJitterOnceReceived(operator, caller);
                double burstExpected = expectedJitterMs(sent);
                // The band: 1 ms, widened to half the regular stream's own figure when the sender wobbled (a loaded machine: its
                // late wake-ups are the test's measure of the scheduling noise that the server's receiving thread sees too;
                // 0.1-0.3 ms when quiet, so the band stays 1 ms there). Once at load 11: sent 2.81 ms, the server saw 3.88.
                double band = Math.max(JITTER_BAND, regularExpected / 2);
                String figures = String.format("server/expected: regular %.3f/%.3f, alternating %.3f/%.3f, burst %.3f/%.3f ms, band %.2f ms",
                        regular, regularExpected, alternating, alternatingExpected, burst, burstExpected, band);
                // Near 0: 0.1-0.3 ms on this box when quiet; under load the sender's own late wake-ups add to it (3.5 ms once
                // in a full suite beside a benchmark), which the server sees too and the expected figure includes. So the bound is
                // relative: well under the alternating pattern's figure, which the same wake-ups raise alike.
                assertThat(regular).as(figures).isCloseTo(regularExpected, within(band)).isLessThan(alternatingExpected / 2);
                // The pattern's 10 ms at least (a loaded machine's late wake-ups only add to it).
                assertThat(alternatingExpected).as("the sender kept to its pattern: " + figures).isGreaterThan(9.0);
                assertThat(alternating).as(figures).isCloseTo(alternatingExpected, within(band));
                // 16 x D = -20 ms after the alternating 10 ms: 20 - (20 - 10) x (15/16)^16 = 16.4 ms
                assertThat(burstExpected).as("the sender kept to its pattern: " + figures).isBetween(15.5, 19.0);
                assertThat(burst).as(figures).isCloseTo(burstExpected, within(band));
                caller.bye();

                // The leg ended: its last jitter joins the ended legs' sum (one more leg with audio).
                String ended = await("the leg ended").atMost(Duration.ofSeconds(10)).until(() -> operator.get("/api/v1/metrics").body(),
                        t -> plain(t, "hotline_rtp_legs_with_audio_total") == endedLegsBefore + 1);
                assertThat(plain(ended, "hotline_rtp_jitter_milliseconds_total") - endedJitterBefore).isCloseTo(burst, within(0.01));
            }
        }
    }

    /** How far the server's jitter figure may be from the test's own RFC 3550 computation over its send times, in ms. */
    static final double JITTER_BAND = 1.0;

    /** The live legs' mean jitter once the server has received every packet the caller sent (its only live leg with audio). */
    static double liveJitterOnceReceived(ApiClient operator, RtpCaller caller) {
        String t = await("every packet received").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> operator.get("/api/v1/metrics").body(), x -> plain(x, "hotline_rtp_live_packets_received") == caller.sent());
        assertThat(plain(t, "hotline_rtp_live_legs")).isEqualTo(1);
        assertThat(plain(t, "hotline_rtp_live_packets_lost")).isZero();
        return plain(t, "hotline_rtp_live_jitter_mean_milliseconds");
    }

    /**
     * RFC 3550 §6.4.1 / A.8 over what the caller sent, in ms: D the change of (time sent - RTP timestamp) between two packets,
     * J += (|D| - J) / 16, from 0 at the first packet (what came before decays to nothing within the first 100).
     */
    static double expectedJitterMs(List<RtpCaller.Sent> sent) {
        double j = 0;
        for (int i = 1; i < sent.size(); i++) {
            double d = (sent.get(i).sentNanos() - sent.get(i - 1).sentNanos()) / 1e6
                    - (int) (sent.get(i).timestamp() - sent.get(i - 1).timestamp()) / 8.0;
            j += (Math.abs(d) - j) / 16;
        }
        return j;
    }

    /** Overload control set from the configuration: a burst over the rate cap gets 503 with Retry-After, counted in the metrics. */
    /**
     * OPS-4: the event log's backlog and lag follow its writer. An agent's state row (agent_state_now, which the writer
     * updates for every change of that agent) is held by an open transaction of another connection: the writer takes the
     * agent's next change and waits on that row, so the change after it stays queued. The scrape shows a backlog and a
     * lag that grows while the row is held; once the transaction ends, both fall back to 0 and both changes are written.
     */
    @Test
    void theEventLogsBacklogAndLagRiseWhileItsWriterIsHeldAndFallOnceItIsFree() throws Exception {
        try (TestServer server = TestServer.start()) {
            ApiClient operator = ApiClient.loggedIn(server.baseUrl(), "system", "operator", PW);
            ApiClient agent = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW);
            var log = server.hotline().eventLog();
            var db = server.database();
            long userId = db.withHandle(h -> h.createQuery("SELECT id FROM app_user WHERE username = 'agent1'").mapTo(Long.class).one());
            assertThat(agent.post("/api/v1/agent/session", Map.of("device", "webrtc")).status()).isEqualTo(200);
            assertThat(agent.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
            await("the agent's state written").atMost(Duration.ofSeconds(10)).until(() -> log.backlog() == 0 && log.settled() == log.appended()
                    && db.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM agent_state_now WHERE user_id = :u AND state = 'ready'")
                    .bind("u", userId).mapTo(Integer.class).one()) == 1);
            String idle = operator.get("/api/v1/metrics").body();
            assertThat(plain(idle, "hotline_event_log_backlog")).isZero();
            double writtenBefore = plain(idle, "hotline_event_log_written_total");

            Handle holder = db.open();
            try {
                holder.begin();
                holder.createUpdate("UPDATE agent_state_now SET reason = reason WHERE user_id = :u").bind("u", userId).execute();
                // the writer takes the agent's next change and waits on the row held here
                assertThat(agent.put("/api/v1/agent/state", Map.of("state", "logged_out")).status()).isEqualTo(200);
                await("the writer waiting on the held row").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                        .until(() -> holder.createQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE BLOCKER_ID = SESSION_ID()")
                                .mapTo(Integer.class).one() > 0);
                // ... so the change after it waits in the queue
                assertThat(agent.post("/api/v1/agent/session", Map.of("device", "webrtc")).status()).isEqualTo(200);
                String behind = await("a backlog").atMost(Duration.ofSeconds(5)).until(() -> operator.get("/api/v1/metrics").body(),
                        t -> plain(t, "hotline_event_log_backlog") >= 1);
                double lag = plain(behind, "hotline_event_log_lag_seconds");
                String later = await("the lag growing").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                        .until(() -> operator.get("/api/v1/metrics").body(), t -> plain(t, "hotline_event_log_lag_seconds") >= lag + 1);
                assertThat(plain(later, "hotline_event_log_backlog")).as("still queued while the row is held").isGreaterThanOrEqualTo(1);
                assertThat(plain(later, "hotline_event_log_written_total")).as("nothing written past the held change")
                        .isEqualTo(writtenBefore);
            } finally {
                holder.rollback();
                holder.close();
            }
            String caughtUp = await("the writer caught up").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> operator.get("/api/v1/metrics").body(), t -> plain(t, "hotline_event_log_backlog") == 0
                            && plain(t, "hotline_event_log_lag_seconds") < 1);
            assertThat(plain(caughtUp, "hotline_event_log_written_total")).as("the held change and the one behind it, written")
                    .isGreaterThanOrEqualTo(writtenBefore + 2);
            int loggedOut = db.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM agent_event WHERE user_id = :u AND state = 'logged_out'")
                    .bind("u", userId).mapTo(Integer.class).one());
            assertThat(loggedOut).as("the held change written, not lost").isEqualTo(1);
        }
    }

    @Test
    void newCallsOverTheConfiguredRateGet503AndAreCounted() throws Exception {
        try (TestServer server = TestServer.start(TestDatabases.Kind.H2,
                Map.of("sip.overload.max.cps", "3", "sip.overload.retry.after", "9"));
             DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            s.setSoTimeout(5000);
            int port = server.hotline().engine().sipPort();
            Map<String, String> answers = new HashMap<>();
            for (int i = 0; i < 12; i++) {
                String callId = UUID.randomUUID().toString();
                String invite = "INVITE sip:4698@127.0.0.1:" + port + " SIP/2.0\r\n"
                        + "Via: SIP/2.0/UDP 127.0.0.1:" + s.getLocalPort() + ";branch=z9hG4bK" + UUID.randomUUID() + "\r\n"
                        + "From: <sip:13500000001@127.0.0.1>;tag=o" + i + "\r\nTo: <sip:4698@127.0.0.1>\r\n"
                        + "Call-ID: " + callId + "\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\n"
                        + "Contact: <sip:13500000001@127.0.0.1:" + s.getLocalPort() + ">\r\nContent-Length: 0\r\n\r\n";
                answers.put(callId, null);
                byte[] out = invite.getBytes(StandardCharsets.UTF_8);
                s.send(new DatagramPacket(out, out.length, InetAddress.getLoopbackAddress(), port));
            }
            byte[] buf = new byte[65535];
            while (answers.containsValue(null)) {
                DatagramPacket in = new DatagramPacket(buf, buf.length);
                s.receive(in); // times out (failing the test) when an INVITE gets no final answer
                String text = new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8);
                Matcher cid = Pattern.compile("Call-ID: ([^\r]+)").matcher(text);
                if (!text.startsWith("SIP/2.0 1") && cid.find() && answers.containsKey(cid.group(1))) answers.put(cid.group(1), text);
            }
            long refused = answers.values().stream().filter(a -> a.startsWith("SIP/2.0 503")).count();
            assertThat(refused).as(answers.values().toString()).isBetween(7L, 9L);
            assertThat(answers.values()).filteredOn(a -> a.startsWith("SIP/2.0 503")).allSatisfy(a -> assertThat(a).contains("Retry-After: 9"));
            ApiClient operator = ApiClient.loggedIn(server.baseUrl(), "system", "operator", PW);
            String metrics = operator.get("/api/v1/metrics").body();
            assertThat(sample(metrics, "hotline_sip_overload_refused_total", "reason=\"rate\"")).isEqualTo(refused);
            assertThat(sample(metrics, "hotline_sip_overload_refused_total", "reason=\"event_backlog\"")).isZero();
        }
    }
}
