package dev.hotline.ops;

import dev.hotline.auth.Permission;
import dev.hotline.web.Api;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * OPS-4 over HTTP: liveness (the process answers), readiness (the database answers a query and the SIP stack answers an
 * OPTIONS on its own port, each within a second) and the Prometheus metrics (for the operator: they name every
 * enterprise).
 */
public final class OpsRoutes {
    private OpsRoutes() {}

    /** One check of the readiness probe: UP or DOWN, how long it took, and why when DOWN. */
    public record Check(String status, long ms, String error) {}

    /** The readiness probe's answer. */
    public record Ready(String status, Map<String, Check> checks) {}

    /** The liveness probe's answer. */
    public record Live(String status) {}

    public static void register(Api root, Metrics metrics, Jdbi jdbi, String sipHost, int sipPort) {
        Api r = root.tagged("operations");
        r.get("/health/live", "Liveness: the process answers HTTP").returns(Live.class).handlePublic(ctx -> ctx.json(new Live("UP")));
        r.get("/health/ready", "Readiness: the database and the SIP transport answer (503 when one does not)").returns(Ready.class)
                .handlePublic(ctx -> {
                    Map<String, Check> checks = new LinkedHashMap<>();
                    checks.put("database", database(jdbi));
                    checks.put("sip", sip(sipHost, sipPort));
                    boolean up = checks.values().stream().allMatch(c -> c.status().equals("UP"));
                    ctx.status(up ? 200 : 503).json(new Ready(up ? "UP" : "DOWN", checks));
                });
        r.get("/metrics", "Metrics in Prometheus' text format (operator only: they name every enterprise)")
                .handle(Permission.ENTERPRISE_MANAGE, (ctx, me) -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
    }

    static Check database(Jdbi jdbi) {
        long t0 = System.nanoTime();
        try {
            jdbi.useHandle(h -> h.createQuery("SELECT 1").setQueryTimeout(1).mapTo(Integer.class).one());
            return new Check("UP", ms(t0), null);
        } catch (RuntimeException e) {
            return new Check("DOWN", ms(t0), e.getMessage());
        }
    }

    /** Sends an OPTIONS (RFC 3261 §11) to the server's own SIP port over UDP and waits a second for any final response. */
    static Check sip(String host, int port) {
        long t0 = System.nanoTime();
        String target = host == null || host.isBlank() || host.equals("0.0.0.0") ? "127.0.0.1" : host;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(target), 0))) {
            s.setSoTimeout(1000);
            String branch = "z9hG4bK-health-" + UUID.randomUUID();
            String local = target + ":" + s.getLocalPort();
            String options = "OPTIONS sip:" + target + ":" + port + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP " + local + ";branch=" + branch + ";rport\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: <sip:health@" + local + ">;tag=" + Long.toHexString(System.nanoTime()) + "\r\n"
                    + "To: <sip:" + target + ":" + port + ">\r\n"
                    + "Call-ID: health-" + UUID.randomUUID() + "\r\n"
                    + "CSeq: 1 OPTIONS\r\n"
                    + "Content-Length: 0\r\n\r\n";
            byte[] out = options.getBytes(StandardCharsets.US_ASCII);
            s.send(new DatagramPacket(out, out.length, InetAddress.getByName(target), port));
            byte[] buf = new byte[4096];
            long deadline = System.nanoTime() + 1_000_000_000L;
            while (System.nanoTime() < deadline) {
                DatagramPacket in = new DatagramPacket(buf, buf.length);
                s.receive(in);
                String head = new String(buf, 0, Math.min(in.getLength(), 16), StandardCharsets.US_ASCII);
                if (head.startsWith("SIP/2.0 ") && head.length() >= 11 && head.charAt(8) >= '2') return new Check("UP", ms(t0), null);
            }
            return new Check("DOWN", ms(t0), "no final response to OPTIONS within 1 s");
        } catch (SocketTimeoutException e) {
            return new Check("DOWN", ms(t0), "no response to OPTIONS within 1 s");
        } catch (IOException e) {
            return new Check("DOWN", ms(t0), e.getMessage());
        }
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
