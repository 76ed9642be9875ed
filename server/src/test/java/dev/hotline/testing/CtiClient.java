package dev.hotline.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotline.web.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A CTI WebSocket client (docs/cti.md) for tests: sends commands, waits for replies and events. */
public final class CtiClient implements AutoCloseable {
    private final WebSocket ws;
    private final BlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
    private final List<JsonNode> seen = new ArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    public volatile int closeCode = -1;

    private CtiClient(String baseUrl, String cookie) throws Exception {
        StringBuilder buf = new StringBuilder();
        this.ws = HttpClient.newHttpClient().newWebSocketBuilder().header("Cookie", cookie)
                .buildAsync(URI.create(baseUrl.replaceFirst("^http", "ws") + "/api/v1/cti"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                        buf.append(data);
                        if (last) {
                            try {
                                inbox.add(Json.MAPPER.readTree(buf.toString()));
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                            buf.setLength(0);
                        }
                        w.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket w, int statusCode, String reason) {
                        closeCode = statusCode;
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
    }

    public static CtiClient connect(ApiClient user, String baseUrl) throws Exception {
        return new CtiClient(baseUrl, user.cookieHeader());
    }

    /** Sends a raw text frame. */
    public void sendRaw(String text) {
        ws.sendText(text, true).join();
    }

    /** Sends a command and returns its reply (ok or error). */
    public JsonNode command(String type, Map<String, ?> fields) throws InterruptedException {
        String id = "c" + ids.incrementAndGet();
        ObjectNode m = Json.MAPPER.createObjectNode();
        m.put("v", 1).put("type", type).put("id", id);
        fields.forEach((k, v) -> m.set(k, Json.MAPPER.valueToTree(v)));
        sendRaw(m.toString());
        return next(n -> id.equals(n.path("id").asText(null)), "reply to " + type);
    }

    /** The next message of {@code type} (earlier ones of other types are kept in {@link #seen()}). */
    public JsonNode next(String type) throws InterruptedException {
        return next(n -> type.equals(n.path("type").asText()), type);
    }

    public JsonNode next(java.util.function.Predicate<JsonNode> p, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        for (int i = 0; i < seen.size(); i++) {
            if (p.test(seen.get(i))) return seen.remove(i);
        }
        while (System.nanoTime() < deadline) {
            JsonNode n = inbox.poll(100, TimeUnit.MILLISECONDS);
            if (n == null) continue;
            if (p.test(n)) return n;
            seen.add(n);
        }
        throw new AssertionError("no " + what + " within 20 s; got " + seen);
    }

    public List<JsonNode> seen() {
        return seen;
    }

    @Override
    public void close() {
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }
}
