package dev.hotline.ivr;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;

/**
 * IVR statistics (IVR-5), counted from the event log: per node of a flow, how many calls visited it,
 * which keys they pressed, how often input timed out, and how many callers hung up while there.
 */
public final class FlowStats {
    private FlowStats() {}

    public record NodeStats(String node, String type, long visits, Map<String, Long> keys, long timeouts, long hangups) {}

    public record Stats(String flow, Instant from, Instant to, long calls, List<NodeStats> nodes) {}

    private static final class Acc {
        String type = "";
        long visits;
        long timeouts;
        long hangups;
        final Map<String, Long> keys = new TreeMap<>();
    }

    public static Stats compute(Handle h, long enterpriseId, String flow, Instant from, Instant to) {
        record Row(String callId, String type, String data) {}
        List<Row> rows = h.createQuery("""
                SELECT call_id, type, data FROM call_event
                WHERE enterprise_id = :e AND at >= :from AND at < :to AND type IN ('ivr_node', 'ivr_key', 'dialing', 'closed')
                ORDER BY call_id, seq""")
                .bind("e", enterpriseId).bind("from", Timestamp.from(from)).bind("to", Timestamp.from(to))
                .map((rs, c) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3) == null ? "" : rs.getString(3))).list();
        Map<String, Acc> nodes = new LinkedHashMap<>();
        long calls = 0;
        String call = null;
        String lastNode = null;
        boolean inFlow = false;
        for (int i = 0; i <= rows.size(); i++) {
            Row r = i < rows.size() ? rows.get(i) : null;
            if (r == null || !r.callId().equals(call)) {
                // The previous call ended: a caller who hung up while in the flow left at its last node.
                call = r == null ? null : r.callId();
                lastNode = null;
                inFlow = false;
                if (r == null) break;
            }
            String f = field(r.data(), "flow");
            switch (r.type()) {
                case "ivr_node" -> {
                    if (!flow.equals(f)) {
                        inFlow = false;
                        continue;
                    }
                    if (!inFlow && lastNode == null) calls++;
                    inFlow = true;
                    lastNode = field(r.data(), "node");
                    Acc a = nodes.computeIfAbsent(lastNode, k -> new Acc());
                    a.type = field(r.data(), "type");
                    a.visits++;
                }
                case "ivr_key" -> {
                    if (!flow.equals(f)) continue;
                    Acc a = nodes.computeIfAbsent(field(r.data(), "node"), k -> new Acc());
                    String key = field(r.data(), "key");
                    if ("timeout".equals(key)) a.timeouts++;
                    else a.keys.merge(key, 1L, Long::sum);
                }
                case "dialing" -> inFlow = false;
                case "closed" -> {
                    if (inFlow && lastNode != null && r.data().contains("outcome=answered")) nodes.get(lastNode).hangups++;
                    inFlow = false;
                }
                default -> { }
            }
        }
        List<NodeStats> out = new ArrayList<>();
        nodes.forEach((id, a) -> out.add(new NodeStats(id, a.type, a.visits, Map.copyOf(a.keys), a.timeouts, a.hangups)));
        return new Stats(flow, from, to, calls, out);
    }

    private static String field(String data, String key) {
        for (String part : data.split(" ")) if (part.startsWith(key + "=")) return part.substring(key.length() + 1);
        return "";
    }
}
