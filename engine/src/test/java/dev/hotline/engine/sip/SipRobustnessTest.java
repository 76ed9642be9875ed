package dev.hotline.engine.sip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.engine.Engines;
import dev.hotline.engine.call.EngineConfig;
import dev.hotline.engine.call.InboundPolicy;
import dev.hotline.engine.call.OverloadControl;
import dev.hotline.engine.call.SipAccount;
import dev.hotline.engine.call.TelephonyEngine;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.SipDatagrams;
import dev.hotline.engine.testing.TestCallHandler;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Literal and hostile SIP messages sent over raw sockets: the stack answers or drops, and keeps working. */
class SipRobustnessTest {
    static TelephonyEngine engine;
    static int port;
    static final InetAddress LO = InetAddress.getLoopbackAddress();

    @BeforeAll
    static void start() throws Exception {
        port = Ports.free();
        int rtp = Ports.free(40);
        TestCallHandler handler = new TestCallHandler("robust.local");
        EngineConfig config = EngineConfig.defaults().withBind("127.0.0.1", port).withDefaultDomain("robust.local")
                .withRtpPorts(rtp, rtp + 39).withAuthThrottle(3, Duration.ofMinutes(1), Duration.ofMinutes(1));
        engine = Engines.start(config,
                (d, u) -> "1001".equals(u) ? Optional.of(new SipAccount("k", "pw")) : Optional.empty(),
                s -> s.fromUser() != null && s.fromUser().startsWith("1") ? InboundPolicy.Decision.AUTHENTICATE
                        : InboundPolicy.Decision.TRUSTED, handler);
        handler.engine = engine;
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    static String request(String method, String extraHeaders, String body, Integer contentLength, int localPort) {
        String callId = UUID.randomUUID().toString();
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        return method + " sip:4000@127.0.0.1:" + port + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + localPort + ";branch=z9hG4bK" + UUID.randomUUID() + "\r\n"
                + "From: <sip:0555@127.0.0.1>;tag=abc\r\n"
                + "To: <sip:4000@127.0.0.1>\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 " + method + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "Contact: <sip:0555@127.0.0.1:" + localPort + ">\r\n"
                + extraHeaders
                + "Content-Length: " + (contentLength != null ? contentLength : b.length) + "\r\n\r\n" + body;
    }

    static String exchange(DatagramSocket s, String message) throws Exception {
        return SipDatagrams.exchange(s, port, message);
    }

    static DatagramSocket socket(String address) throws Exception {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), 0));
        s.setSoTimeout(1500);
        return s;
    }

    static void assertAlive(DatagramSocket s) throws Exception {
        assertThat(exchange(s, request("OPTIONS", "", "", null, s.getLocalPort()))).startsWith("SIP/2.0 200");
    }

    @Test
    void optionsOverUdpAndTcp() throws Exception {
        try (DatagramSocket s = socket("127.0.0.1")) {
            assertAlive(s);
        }
        try (Socket tcp = new Socket(LO, port)) {
            tcp.setSoTimeout(3000);
            OutputStream out = tcp.getOutputStream();
            out.write(request("OPTIONS", "", "", null, tcp.getLocalPort()).replace("SIP/2.0/UDP", "SIP/2.0/TCP")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = tcp.getInputStream();
            byte[] buf = new byte[4096];
            int n = in.read(buf);
            assertThat(new String(buf, 0, n, StandardCharsets.UTF_8)).startsWith("SIP/2.0 200");
        }
    }

    @Test
    void garbageAndTruncatedMessagesNeverBreakTheStack() throws Exception {
        try (DatagramSocket s = socket("127.0.0.1")) {
            for (String junk : new String[] {"hello\r\n\r\n", "\u0000\u0001\u0002", "INVITE\r\n\r\n",
                    "INVITE sip:x SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:1\r\n", "SIP/2.0 200 OK\r\n\r\n",
                    request("INVITE", "", "", null, s.getLocalPort()).substring(0, 120)}) {
                String r = exchange(s, junk);
                assertThat(r == null || r.startsWith("SIP/2.0 400")).as("answer to %s: %s", junk, r).isTrue();
            }
            assertAlive(s);
        }
    }

    @Test
    void missingMandatoryHeadersGet400() throws Exception {
        try (DatagramSocket s = socket("127.0.0.1")) {
            String noCallId = request("OPTIONS", "", "", null, s.getLocalPort()).replaceAll("Call-ID: [^\r]*\r\n", "");
            String r = exchange(s, noCallId);
            assertThat(r == null || r.startsWith("SIP/2.0 400")).as(String.valueOf(r)).isTrue();
            String noCseq = request("OPTIONS", "", "", null, s.getLocalPort()).replaceAll("CSeq: [^\r]*\r\n", "");
            r = exchange(s, noCseq);
            assertThat(r == null || r.startsWith("SIP/2.0 400")).as(String.valueOf(r)).isTrue();
            assertAlive(s);
        }
    }

    @Test
    void wrongContentLengthAndHugeHeaders() throws Exception {
        try (DatagramSocket s = socket("127.0.0.1")) {
            String r = exchange(s, request("OPTIONS", "", "short body", 500, s.getLocalPort()));
            assertThat(r == null || r.startsWith("SIP/2.0 400")).as(String.valueOf(r)).isTrue();
            r = exchange(s, request("OPTIONS", "X-Junk: " + "a".repeat(60_000) + "\r\n", "", null, s.getLocalPort()));
            assertThat(r == null || r.startsWith("SIP/2.0 200") || r.startsWith("SIP/2.0 400") || r.startsWith("SIP/2.0 513"))
                    .as(String.valueOf(r)).isTrue();
            assertAlive(s);
        }
    }

    @Test
    void datagramsOfAnySizeUpTo64KiBAreReadWholeAndEachApart() throws Exception {
        // ExactUdpMessageProcessor reads every datagram into one buffer: a large one is read whole, and the small one
        // after it gets nothing of it (its copy is exactly its own length).
        try (DatagramSocket s = socket("127.0.0.1")) {
            for (int pad : new int[] {20_000, 50_000, 0, 9_000, 0}) {
                String extra = pad == 0 ? "" : "X-Pad: " + "p".repeat(pad) + "\r\n";
                String r = exchange(s, request("OPTIONS", extra, "", null, s.getLocalPort()));
                assertThat(r).as("OPTIONS with a %d-byte header", pad).startsWith("SIP/2.0 200");
            }
        }
    }

    @Test
    void unknownDialogGets481() throws Exception {
        try (DatagramSocket s = socket("127.0.0.1")) {
            String bye = request("BYE", "", "", null, s.getLocalPort()).replace("To: <sip:4000@127.0.0.1>", "To: <sip:4000@127.0.0.1>;tag=nope");
            assertThat(exchange(s, bye)).startsWith("SIP/2.0 481");
            assertThat(exchange(s, request("CANCEL", "", "", null, s.getLocalPort()))).startsWith("SIP/2.0 481");
        }
    }

    @Test
    void badSdpGets488WithAReason() throws Exception {
        try (DatagramSocket s = socket("127.0.0.1")) {
            String r = exchange(s, request("INVITE", "Content-Type: application/sdp\r\n",
                    "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n", null, s.getLocalPort()));
            assertThat(r).startsWith("SIP/2.0 488").contains("Warning: 399").contains("c= line");
            r = exchange(s, request("INVITE", "Content-Type: application/sdp\r\n",
                    "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 18\r\n",
                    null, s.getLocalPort()));
            assertThat(r).startsWith("SIP/2.0 488").contains("no common codec");
            r = exchange(s, request("INVITE", "", "", null, s.getLocalPort()));
            assertThat(r).startsWith("SIP/2.0 488").contains("missing SDP");
            assertAlive(s);
        }
    }

    @Test
    void tooSmallSessionIntervalGets422() throws Exception {
        try (DatagramSocket s = socket("127.0.0.1")) {
            String r = exchange(s, request("INVITE", "Content-Type: application/sdp\r\nSupported: timer\r\nSession-Expires: 30\r\n",
                    "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n",
                    null, s.getLocalPort()));
            assertThat(r).startsWith("SIP/2.0 422").contains("Min-SE: 90");
        }
    }

    @Test
    void unsupportedMethodGets405() throws Exception {
        try (DatagramSocket s = socket("127.0.0.1")) {
            assertThat(exchange(s, request("MESSAGE", "", "", null, s.getLocalPort()))).startsWith("SIP/2.0 405");
        }
    }

    @Test
    void requestLackingAHeaderItsMethodNeedsGets400() throws Exception {
        try (DatagramSocket s = socket("127.0.0.1")) {
            String noContact = request("INVITE", "", "", null, s.getLocalPort()).replaceAll("Contact: [^\r]*\r\n", "");
            assertThat(exchange(s, noContact)).startsWith("SIP/2.0 400").contains("Contact");
            assertThat(exchange(s, request("PUBLISH", "", "", null, s.getLocalPort()))).startsWith("SIP/2.0 400");
            assertAlive(s);
        }
    }

    @Test
    void repeatedAuthFailuresBanTheSource() throws Exception {
        // 127.0.0.2 is loopback too on Linux: a source of its own, so the ban does not hit the other tests.
        try (DatagramSocket s = socket("127.0.0.2")) {
            for (int i = 0; i < 3; i++) {
                String challenge = exchange(s, register(s, null));
                assertThat(challenge).startsWith("SIP/2.0 401").contains("WWW-Authenticate: Digest");
                Matcher m = Pattern.compile("nonce=\"([^\"]+)\"").matcher(challenge);
                assertThat(m.find()).isTrue();
                String auth = "Authorization: Digest username=\"1001\",realm=\"robust.local\",nonce=\"" + m.group(1)
                        + "\",uri=\"sip:127.0.0.1\",response=\"00000000000000000000000000000000\",algorithm=MD5\r\n";
                assertThat(exchange(s, register(s, auth))).startsWith("SIP/2.0 403");
            }
            assertThat(exchange(s, register(s, null))).as("banned source gets no answer").isNull();
            assertThat(exchange(s, request("OPTIONS", "", "", null, s.getLocalPort()))).isNull();
        }
        try (DatagramSocket other = socket("127.0.0.1")) {
            assertAlive(other);
        }
    }

    @Test
    void newCallsOverTheRateCapGet503WithRetryAfterAndTheRestGoOn() throws Exception {
        engine.overload().limits(new OverloadControl.Limits(2, Duration.ofMillis(200), Duration.ofSeconds(7)));
        try (DatagramSocket s = socket("127.0.0.1")) {
            // Ten INVITEs sent at once (no SDP: an admitted one is answered 488 at once, so no call is left behind).
            Map<String, String> answers = new HashMap<>();
            for (int i = 0; i < 10; i++) {
                String invite = request("INVITE", "", "", null, s.getLocalPort());
                Matcher cid = Pattern.compile("Call-ID: ([^\r]+)").matcher(invite);
                assertThat(cid.find()).isTrue();
                answers.put(cid.group(1), null);
                byte[] out = invite.getBytes(StandardCharsets.UTF_8);
                s.send(new DatagramPacket(out, out.length, LO, port));
            }
            byte[] buf = new byte[65535];
            while (answers.containsValue(null)) {
                DatagramPacket in = new DatagramPacket(buf, buf.length);
                s.receive(in); // the socket's timeout fails the test when an INVITE gets no final answer
                String text = new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8);
                Matcher cid = Pattern.compile("Call-ID: ([^\r]+)").matcher(text);
                if (!text.startsWith("SIP/2.0 100") && cid.find() && answers.containsKey(cid.group(1))) {
                    answers.put(cid.group(1), text);
                }
            }
            List<String> refused = answers.values().stream().filter(a -> a.startsWith("SIP/2.0 503")).toList();
            List<String> admitted = answers.values().stream().filter(a -> a.startsWith("SIP/2.0 488")).toList();
            // A bucket of 2 refilled at 2/s: 2 at once, one more for each half second the ten took to arrive.
            assertThat(admitted.size()).isBetween(2, 4);
            assertThat(refused).hasSize(10 - admitted.size()).allSatisfy(a -> assertThat(a).contains("Retry-After: 7"));
            assertThat(engine.overload().status().refusedRate()).isGreaterThanOrEqualTo(refused.size());
            // RFC 3261 §8.2.6.2: the refusal, built from the raw datagram, tags the To.
            assertThat(refused).allSatisfy(a -> assertThat(a).containsPattern("(?m)^To: [^\r]*;tag=\\w+"));
            // In-dialog and other requests are never refused: the server goes on answering.
            assertAlive(s);
        } finally {
            engine.overload().limits(OverloadControl.Limits.defaults());
        }
        try (DatagramSocket s = socket("127.0.0.1")) {
            assertThat(exchange(s, request("INVITE", "", "", null, s.getLocalPort()))).startsWith("SIP/2.0 488");
        }
    }

    @Test
    void theReceiveQueueProbeComesBackThroughTheStacksOwnSocket() {
        long before = ((SipEngine) engine).receiveQueueProbes();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> ((SipEngine) engine).receiveQueueProbes() > before + 3);
        assertThat(engine.overload().status().overloaded()).isFalse();
    }

    private static String register(DatagramSocket s, String auth) {
        return "REGISTER sip:127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.2:" + s.getLocalPort() + ";branch=z9hG4bK" + UUID.randomUUID() + "\r\n"
                + "From: <sip:1001@127.0.0.1>;tag=r1\r\nTo: <sip:1001@127.0.0.1>\r\n"
                + "Call-ID: " + UUID.randomUUID() + "\r\nCSeq: 1 REGISTER\r\nMax-Forwards: 70\r\n"
                + "Contact: <sip:1001@127.0.0.2:" + s.getLocalPort() + ">\r\n"
                + (auth == null ? "" : auth) + "Content-Length: 0\r\n\r\n";
    }
}
