package dev.hotline.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * SIPp peers of a Hotline under test: phones that register extensions, callees that answer (and
 * echo RTP), callers from a trunk or from an extension. Scenarios come from the engine's test jar
 * ({@code /sipp/*.xml}) and this module's test resources.
 */
public final class SipPeers {
    public static final Duration TIMEOUT = Duration.ofSeconds(40);

    private final Path work;
    private final String remote;

    public SipPeers(Path work, int sipPort) {
        this.work = work;
        this.remote = "127.0.0.1:" + sipPort;
    }

    /** Scenario variables: A-law, caller {@code defaultFrom}, then {@code kv} pairs on top. */
    public static Map<String, String> vars(String defaultFrom, String... kv) {
        Map<String, String> m = Sipp.vars("FROM", defaultFrom);
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    /** A callee listening on {@code port} (echoing RTP), ready when this returns. */
    public Sipp.Run uas(String scenario, int port, Map<String, String> vars) throws Exception {
        vars.put("ENGINE", remote);
        Sipp.Run run = Sipp.start(work, scenario, vars, null, port, List.of("-rtp_echo", "-mp", Integer.toString(Ports.free(4))));
        Sipp.awaitUdpBound(port);
        return run;
    }

    /** A phone on {@code port} that answers up to 100 calls (echoing RTP), ready when this returns; register it separately. */
    public Sipp.Run phone(int port) throws Exception {
        Map<String, String> vars = vars("x");
        vars.put("ENGINE", remote);
        Sipp.Run run = Sipp.start(work, "uas_answer", vars, null, port, List.of("-rtp_echo", "-mp", Integer.toString(Ports.free(4)), "-m", "100"));
        Sipp.awaitUdpBound(port);
        return run;
    }

    /** A caller dialling {@code dialled} at Hotline; {@code extra} e.g. {@code -au 1001 -ap pw} for a phone. */
    public Sipp.Run uac(String scenario, String dialled, Map<String, String> vars, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("-s", dialled, "-mp", Integer.toString(Ports.free(4))));
        args.addAll(List.of(extra));
        return Sipp.start(work, scenario, vars, remote, Ports.free(), args);
    }

    /** A phone registering extension {@code ext}, with its calls delivered to {@code contactPort}; expects {@code expect}. */
    public void register(String ext, String password, int contactPort, String expect) throws Exception {
        ok(Sipp.start(work, "register", vars("", "EXPECT", expect, "EXPIRES", "600"), remote, Ports.free(),
                List.of("-s", ext, "-au", ext, "-ap", password, "-set", "contactport", Integer.toString(contactPort))));
    }

    /**
     * SIPp actions (for a scenario's @DTMFACTIONS@) playing SIPp's RFC 4733 pcap of each key, 300 ms apart.
     * The pcaps keep their recorded timestamps, which only rise in the order 1 0 2 3 ... 9 * #.
     */
    public static String dtmf(String keys) {
        StringBuilder sb = new StringBuilder();
        for (char k : keys.toCharArray()) {
            String name = k == '#' ? "pound" : k == '*' ? "star" : String.valueOf(k);
            sb.append("<nop><action><exec play_pcap_audio=\"/usr/share/sip-tester/dtmf_2833_").append(name)
                    .append(".pcap\"/></action></nop><pause milliseconds=\"300\"/>");
        }
        return sb.toString();
    }

    /**
     * A SIPp action (for @DTMFACTIONS@) playing any sequence of keys as RFC 4733 events with rising timestamps, from a pcap
     * written into {@code dir}: SIPp's own per-key pcaps keep fixed timestamps, so a key repeated or out of their order is
     * dropped by the receiver as an old event. Each key lasts 100 ms with a 200 ms gap; a ',' in {@code keys} is a pause of
     * one second. The action returns at once; a pause of the pcap's length follows it.
     */
    public static String dtmfAny(Path dir, String keys) throws java.io.IOException {
        byte[] template = java.nio.file.Files.readAllBytes(Path.of("/usr/share/sip-tester/dtmf_2833_1.pcap"));
        int headerLen = 14 + 20 + 8; // the first packet's Ethernet, IPv4 and UDP headers are reused (same RTP size)
        byte[] headers = java.util.Arrays.copyOfRange(template, 24 + 16, 24 + 16 + headerLen);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(template, 0, 24); // the pcap file header
        long micros = 0;
        int seq = 1000;
        long ts = 160_000;
        for (char k : keys.toCharArray()) {
            if (k == ',') {
                micros += 1_000_000;
                ts += 8000;
                continue;
            }
            int event = k == '*' ? 10 : k == '#' ? 11 : k - '0';
            for (int i = 1; i <= 8; i++) { // 5 packets of 20 ms, then the end packet three times
                boolean end = i > 5;
                int duration = Math.min(i, 5) * 160;
                java.nio.ByteBuffer rtp = java.nio.ByteBuffer.allocate(16);
                rtp.put((byte) 0x80).put((byte) ((i == 1 ? 0x80 : 0) | 101)).putShort((short) seq++).putInt((int) ts).putInt(0x0E05_F34E);
                rtp.put((byte) event).put((byte) ((end ? 0x80 : 0) | 10)).putShort((short) duration);
                java.nio.ByteBuffer rec = java.nio.ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                rec.putInt((int) (micros / 1_000_000)).putInt((int) (micros % 1_000_000)).putInt(headerLen + 16).putInt(headerLen + 16);
                out.write(rec.array());
                out.write(headers);
                out.write(rtp.array());
                if (i <= 5) micros += 20_000;
            }
            micros += 200_000;
            ts += 800 + 1600;
        }
        Path file = java.nio.file.Files.createTempFile(dir, "dtmf-", ".pcap");
        java.nio.file.Files.write(file, out.toByteArray());
        return "<nop><action><exec play_pcap_audio=\"" + file.toAbsolutePath() + "\"/></action></nop><pause milliseconds=\""
                + (micros / 1000 + 200) + "\"/>";
    }

    /** The SIPp run ended with every call successful. */
    public static void ok(Sipp.Run run) {
        assertThat(run.await(TIMEOUT)).as(run.logs()).isZero();
    }
}
