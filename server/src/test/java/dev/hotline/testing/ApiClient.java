package dev.hotline.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A real HTTP client of the API for tests: keeps the session cookie and sends the CSRF token like the console does. */
public final class ApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String base;
    private final HttpClient http;
    private String csrf;
    private String bearer;

    public record Response(int status, JsonNode json, String body, Map<String, List<String>> headers) {
        public String code() {
            return json == null || !json.has("code") ? null : json.get("code").asText();
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    public ApiClient(String baseUrl) {
        this.base = baseUrl;
        this.http = HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(5)).build();
    }

    public static ApiClient loggedIn(String baseUrl, String enterprise, String user, String password) {
        ApiClient c = new ApiClient(baseUrl);
        Response r = c.login(enterprise, user, password);
        if (r.status() != 200) throw new AssertionError("login of " + enterprise + "/" + user + " failed: " + r);
        return c;
    }

    public Response login(String enterprise, String user, String password) {
        Response r = post("/api/v1/auth/login", Map.of("enterprise", enterprise, "username", user, "password", password));
        if (r.status() == 200) csrf = r.json().get("csrfToken").asText();
        return r;
    }

    /** Uses an API token instead of the cookie session. */
    public ApiClient withBearer(String token) {
        this.bearer = token;
        return this;
    }

    /** The session cookie as a Cookie header value, for requests made with another client (uploads, audio). */
    public String cookieHeader() {
        return ((CookieManager) http.cookieHandler().orElseThrow()).getCookieStore().getCookies().stream()
                .map(c -> c.getName() + "=" + c.getValue()).reduce((a, b) -> a + "; " + b).orElse("");
    }

    /** The CSRF token of the session (null before a login), for requests built by hand (multipart forms, binary bodies). */
    public String csrf() {
        return csrf;
    }

    public ApiClient withoutCsrf() {
        this.csrf = null;
        return this;
    }

    public Response get(String path) { return send("GET", path, null); }
    public Response post(String path, Object body) { return send("POST", path, body); }
    public Response put(String path, Object body) { return send("PUT", path, body); }
    public Response delete(String path) { return send("DELETE", path, null); }

    public Response raw(String method, String path, String body, String contentType) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
        if (contentType != null) b.header("Content-Type", contentType);
        if (csrf != null) b.header("X-CSRF-Token", csrf);
        if (bearer != null) b.header("Authorization", "Bearer " + bearer);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> resp = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            if (resp.body() != null && !resp.body().isBlank() && resp.headers().firstValue("Content-Type").orElse("").contains("json")) {
                json = JSON.readTree(resp.body());
            }
            return new Response(resp.statusCode(), json, resp.body(), resp.headers().map());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A multipart/form-data request with one file in the field {@code file}, as the console's upload
     * forms send it (prompts, music on hold, voicemail greetings).
     */
    public Response upload(String method, String path, String fileName, byte[] content) {
        String boundary = "----hotline" + System.nanoTime();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + content.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(content, 0, body, head.length, content.length);
        System.arraycopy(tail, 0, body, head.length + content.length, tail.length);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        if (csrf != null) b.header("X-CSRF-Token", csrf);
        if (bearer != null) b.header("Authorization", "Bearer " + bearer);
        try {
            HttpResponse<String> resp = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = resp.headers().firstValue("Content-Type").orElse("").contains("json") && !resp.body().isBlank()
                    ? JSON.readTree(resp.body()) : null;
            return new Response(resp.statusCode(), json, resp.body(), resp.headers().map());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A GET whose body is binary (audio): status and bytes. */
    public record Bytes(int status, byte[] body, String contentType) {}

    public Bytes getBytes(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
        if (bearer != null) b.header("Authorization", "Bearer " + bearer);
        try {
            HttpResponse<byte[]> resp = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Bytes(resp.statusCode(), resp.body(), resp.headers().firstValue("Content-Type").orElse(""));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Response send(String method, String path, Object body) {
        try {
            return raw(method, path, body == null ? null : JSON.writeValueAsString(body), body == null ? null : "application/json");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
