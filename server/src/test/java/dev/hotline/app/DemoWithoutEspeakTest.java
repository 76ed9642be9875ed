package dev.hotline.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotline.domain.JsonMapper;
import dev.hotline.engine.codec.G711;
import dev.hotline.engine.testing.RawUa;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.ChildServer;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 4: the README's first command on a machine without espeak-ng. The server warns at start, says
 * whether the demo hotline is open, the shipped demo flow stays valid (it uses recorded prompts), and a caller
 * at night hears the night message before the voicemail tone.
 */
class DemoWithoutEspeakTest {
    static final String PW = "no-espeak-pass";
    /** One 20 ms frame of 8 kHz audio. */
    static final int FRAME = 160;

    @TempDir
    Path dir;

    @Test
    void warnsStaysValidAndSpeaksTheNightMessageBeforeTheTone() throws Exception {
        Path emptyPath = Files.createDirectories(dir.resolve("empty-bin"));
        int sip = ChildServer.freePort();
        ChildServer server = ChildServer.start(dir.resolve("data"), PW, Map.of("PATH", emptyPath.toString(),
                "HOTLINE_HTTP_PORT", String.valueOf(ChildServer.freePort()), "HOTLINE_SIP_PORT", String.valueOf(sip)));
        try {
            String out = server.output();
            assertThat(out).contains("Warning : espeak-ng not found").contains("apt-get install espeak-ng");
            assertThat(out).containsPattern("Demo IVR: (open now|CLOSED now) \\(\\w{3} \\d\\d:\\d\\d there\\)")
                    .contains("Mon-Fri 09:00-18:00 (Asia/Shanghai)");

            ApiClient admin = ApiClient.loggedIn(server.url(), "demo", "admin", PW);
            JsonNode flows = admin.get("/api/v1/flows").json();
            long id = -1;
            for (JsonNode f : flows) if (f.path("name").asText().equals("main")) id = f.path("id").asLong();
            assertThat(id).as("the demo flow 'main'").isPositive();
            JsonNode problems = admin.post("/api/v1/flows/" + id + "/validate", Map.of()).json();
            assertThat(problems.path("problems")).as("the shipped flow is valid without espeak-ng: " + problems).isEmpty();

            // Night at any hour: the time condition opens on no day; publishing works without espeak-ng.
            ObjectNode graph = (ObjectNode) admin.get("/api/v1/flows/" + id).json().path("draft").deepCopy();
            ((ObjectNode) graph.path("nodes").path("hours")).set("weekly", JsonMapper.MAPPER.createArrayNode());
            assertThat(admin.put("/api/v1/flows/" + id + "/draft", graph).status()).isEqualTo(200);
            var published = admin.post("/api/v1/flows/" + id + "/publish", Map.of());
            assertThat(published.status()).as(published.body()).isEqualTo(200);

            List<short[]> frames = callDemoHotline(sip, 14_000);
            int beep = firstToneFrame(frames);
            assertThat(beep).as("the voicemail tone (1 kHz) is heard").isPositive();
            long speech = frames.subList(0, beep).stream().filter(f -> rms(f) > 300 && !isTone(f)).count();
            // THANK_YOU_FOR_CALLING and DEMO_CLOSED are about 1 s and 8 s of speech in Chinese; speech has pauses, so
            // at least 3 s of loud 20 ms frames is a clear "the caller heard the message", 0 is the silent bug.
            assertThat(speech * 20).as("ms of speech before the tone").isGreaterThan(3_000);
        } finally {
            server.stop();
        }
    }

    /** Calls DID 4000 from 127.0.0.1 (the demo's loopback trunk) and returns the audio received, frame by frame. */
    static List<short[]> callDemoHotline(int sipPort, long listenMs) throws Exception {
        List<short[]> frames = new ArrayList<>();
        try (RawUa ua = new RawUa(sipPort); DatagramSocket media = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            String callId = "night-" + UUID.randomUUID();
            String from = "<sip:13800138000@127.0.0.1>;tag=n1";
            ua.send("INVITE sip:4000@127.0.0.1:" + sipPort + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + ua.port() + ";branch=" + RawUa.branch() + "\r\n"
                    + "From: " + from + "\r\nTo: <sip:4000@127.0.0.1>\r\nCall-ID: " + callId + "\r\n"
                    + "CSeq: 1 INVITE\r\nMax-Forwards: 70\r\nContact: <sip:13800138000@127.0.0.1:" + ua.port() + ">\r\n"
                    + "Content-Type: application/sdp\r\n\r\n" + RawUa.sdp(media.getLocalPort()));
            var ok = ua.await(m -> m.status() == 200 && callId.equals(m.header("Call-ID")), "200 OK from the demo hotline");
            ua.send("ACK sip:4000@127.0.0.1:" + sipPort + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + ua.port() + ";branch=" + RawUa.branch() + "\r\n"
                    + "From: " + from + "\r\nTo: " + ok.header("To") + "\r\nCall-ID: " + callId + "\r\n"
                    + "CSeq: 1 ACK\r\nMax-Forwards: 70\r\n\r\n");
            media.setSoTimeout(2_000);
            byte[] buf = new byte[2048];
            long end = System.nanoTime() + listenMs * 1_000_000;
            while (System.nanoTime() < end) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    media.receive(p);
                } catch (SocketTimeoutException e) {
                    continue;
                }
                int payloadType = buf[1] & 0x7f;
                int cc = buf[0] & 0x0f;
                int offset = 12 + 4 * cc;
                if (payloadType != 8 || p.getLength() - offset < FRAME) continue; // PCMA only (our SDP offers nothing else)
                short[] pcm = new short[FRAME];
                for (int i = 0; i < FRAME; i++) pcm[i] = G711.alawToLinear(buf[offset + i]);
                frames.add(pcm);
            }
            ua.send("BYE sip:4000@127.0.0.1:" + sipPort + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + ua.port() + ";branch=" + RawUa.branch() + "\r\n"
                    + "From: " + from + "\r\nTo: " + ok.header("To") + "\r\nCall-ID: " + callId + "\r\n"
                    + "CSeq: 2 BYE\r\nMax-Forwards: 70\r\n\r\n");
        }
        return frames;
    }

    static double rms(short[] f) {
        double s = 0;
        for (short x : f) s += (double) x * x;
        return Math.sqrt(s / f.length);
    }

    /** The share of a frame's energy at 1 kHz (Goertzel): near 1 for the voicemail tone, small for speech. */
    static boolean isTone(short[] f) {
        double coeff = 2 * Math.cos(2 * Math.PI * 1000 / 8000.0);
        double s1 = 0;
        double s2 = 0;
        double energy = 0;
        for (short x : f) {
            double s0 = x + coeff * s1 - s2;
            s2 = s1;
            s1 = s0;
            energy += (double) x * x;
        }
        double power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
        return energy > 0 && rms(f) > 300 && power / (energy * f.length / 2.0) > 0.8;
    }

    /** The index of the first frame of a tone at least 200 ms long (10 frames), or -1. */
    static int firstToneFrame(List<short[]> frames) {
        int run = 0;
        for (int i = 0; i < frames.size(); i++) {
            run = isTone(frames.get(i)) ? run + 1 : 0;
            if (run == 10) return i - 9;
        }
        return -1;
    }
}
