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

    /** The SIPp run ended with every call successful. */
    public static void ok(Sipp.Run run) {
        assertThat(run.await(TIMEOUT)).as(run.logs()).isZero();
    }
}
