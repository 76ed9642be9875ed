package dev.hotline.sms;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An HTTP SMS gateway described by a request template: URL and body with {@code {to}}, {@code {text}} and {@code {from}}
 * (URL-encoded in the URL; in the body JSON-escaped when the content type is JSON, URL-encoded when it is a form, as is
 * otherwise), a method, and the status codes that mean "sent" (e.g. {@code 200-299} or {@code 200,202}). The provider
 * splits long texts itself; it sends no receipts, so a message it took stays "sent".
 */
final class HttpGateway {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    record Config(String url, String method, String contentType, String body, String success) {}

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    /** Sends one message; throws with the gateway's status and answer when it is not a success. */
    void send(Config c, String to, String text, String from) throws IOException, InterruptedException {
        String url = fill(c.url(), to, text, from, Escape.URL);
        String ct = c.contentType() == null ? "" : c.contentType().toLowerCase(Locale.ROOT);
        Escape bodyEscape = ct.contains("json") ? Escape.JSON : ct.contains("x-www-form-urlencoded") ? Escape.URL : Escape.NONE;
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT);
        String method = c.method() == null ? "POST" : c.method().toUpperCase(Locale.ROOT);
        if (method.equals("GET")) {
            b.GET();
        } else {
            String body = c.body() == null ? "" : fill(c.body(), to, text, from, bodyEscape);
            if (c.contentType() != null) b.header("Content-Type", c.contentType());
            b.method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        }
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (!successful(c.success(), r.statusCode())) {
            String answer = r.body() == null ? "" : r.body().strip();
            throw new IOException("HTTP gateway answered " + r.statusCode() + (answer.isEmpty() ? "" : ": " + SmsStore.clip(answer, 200)));
        }
    }

    enum Escape { NONE, URL, JSON }

    static String fill(String template, String to, String text, String from, Escape escape) {
        return template.replace("{to}", escape(to, escape)).replace("{text}", escape(text, escape))
                .replace("{from}", escape(from == null ? "" : from, escape));
    }

    static String escape(String s, Escape e) {
        return switch (e) {
            case NONE -> s;
            case URL -> URLEncoder.encode(s, StandardCharsets.UTF_8);
            case JSON -> {
                StringBuilder sb = new StringBuilder();
                for (char ch : s.toCharArray()) {
                    switch (ch) {
                        case '"' -> sb.append("\\\"");
                        case '\\' -> sb.append("\\\\");
                        case '\n' -> sb.append("\\n");
                        case '\r' -> sb.append("\\r");
                        case '\t' -> sb.append("\\t");
                        default -> {
                            if (ch < 0x20) sb.append(String.format("\\u%04x", (int) ch));
                            else sb.append(ch);
                        }
                    }
                }
                yield sb.toString();
            }
        };
    }

    /** Parses "200-299" or "200,202" into ranges; null when the text is not such a list. */
    static List<int[]> ranges(String success) {
        if (success == null || success.isBlank()) return List.of(new int[] {200, 299});
        List<int[]> out = new ArrayList<>();
        for (String p : success.split(",")) {
            String s = p.strip();
            try {
                if (s.contains("-")) {
                    int lo = Integer.parseInt(s.substring(0, s.indexOf('-')).strip());
                    int hi = Integer.parseInt(s.substring(s.indexOf('-') + 1).strip());
                    if (lo < 100 || hi > 599 || lo > hi) return null;
                    out.add(new int[] {lo, hi});
                } else {
                    int v = Integer.parseInt(s);
                    if (v < 100 || v > 599) return null;
                    out.add(new int[] {v, v});
                }
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return out;
    }

    static boolean successful(String success, int status) {
        List<int[]> r = ranges(success);
        if (r == null) return false;
        for (int[] x : r) if (status >= x[0] && status <= x[1]) return true;
        return false;
    }
}
