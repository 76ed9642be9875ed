package dev.hotline.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.ChildServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OPS-1: the start command as a user runs it, in its own JVM, configured only by environment variables. */
class MainProcessTest {
    @TempDir
    Path dir;

    record Run(Process process, List<String> lines, String url) {}

    /** The child's output so far; its reader thread appends to the list while the test reads it. */
    static String text(Run run) {
        synchronized (run.lines()) {
            return String.join("\n", run.lines());
        }
    }

    Run start(String password, String... args) throws Exception {
        ChildServer c = ChildServer.start(dir, password, args);
        return new Run(c.process(), c.lines(), c.url() + "/");
    }

    void stop(Process p) throws Exception {
        p.destroy();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
    }

    @Test
    void startsWithEnvironmentOnlyPrintsWhereToGoAndServesTheConsole() throws Exception {
        Run run = start("env-pass-123");
        try {
            String out = text(run);
            assertThat(run.url()).startsWith("http://127.0.0.1:");
            assertThat(out).contains("SIP     : 127.0.0.1:").contains("(UDP and TCP)").contains("RTP     : ports 20000-29999")
                    .contains("Demo    : enterprise 'demo'").contains("env-pass-123");
            var login = new ApiClient(run.url().replaceAll("/$", "")).login("demo", "admin", "env-pass-123");
            assertThat(login.status()).isEqualTo(200);
            var page = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(run.url()))
                    .timeout(Duration.ofSeconds(10)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).containsIgnoringCase("<html");
        } finally {
            stop(run.process());
        }
        assertThat(Files.exists(dir.resolve("db"))).as("H2 database in the data folder").isTrue();

        Run again = start(null);
        try {
            String out = text(again);
            assertThat(out).as("second start keeps the data and prints no new passwords").doesNotContain("Demo    :").doesNotContain("Operator:");
            assertThat(new ApiClient(again.url().replaceAll("/$", "")).login("demo", "admin", "env-pass-123").status()).isEqualTo(200);
        } finally {
            stop(again.process());
        }
    }

    @Test
    void generatesAndPrintsPasswordsOnceWithoutConfiguration() throws Exception {
        Run run = start(null);
        try {
            String out = text(run);
            Matcher m = Pattern.compile("Demo    : .* password (\\S+)").matcher(out);
            assertThat(m.find()).as(out).isTrue();
            assertThat(new ApiClient(run.url().replaceAll("/$", "")).login("demo", "agent1", m.group(1)).status()).isEqualTo(200);
        } finally {
            stop(run.process());
        }
    }

    @Test
    void noDemoSkipsTheDemoEnterprise() throws Exception {
        Run run = start("env-pass-123", "--no-demo");
        try {
            assertThat(text(run)).doesNotContain("Demo    :").contains("Operator: enterprise 'system'");
            assertThat(new ApiClient(run.url().replaceAll("/$", "")).login("demo", "admin", "env-pass-123").status()).isEqualTo(401);
        } finally {
            stop(run.process());
        }
    }

    @Test
    void badArgumentsFailWithAMessage() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.hotline.app.Main", "--bogus").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(out).contains("unknown argument --bogus");
    }

    @Test
    void logsAreOneJsonObjectPerLineWhenAskedAndABadFormatIsRefused() throws Exception {
        ChildServer c = ChildServer.start(dir, "json-pass-123", Map.of("HOTLINE_LOG_FORMAT", "json"));
        List<String> logs;
        try {
            synchronized (c.lines()) {
                logs = List.copyOf(c.lines());
            }
        } finally {
            stop(c.process());
        }
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> entries = new ArrayList<>();
        for (String line : logs) {
            assertThat(line).as("no log line in the text pattern").doesNotMatch("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} +(INFO|WARN|ERROR).*");
            if (line.startsWith("{")) entries.add(json.readTree(line));
        }
        assertThat(entries).isNotEmpty().allSatisfy(e -> {
            assertThat(e.get("level").asText()).isIn("INFO", "WARN", "ERROR");
            assertThat(e.get("loggerName").asText()).startsWith("dev.hotline");
            assertThat(e.get("timestamp").asLong()).isPositive();
        });
        assertThat(entries).anySatisfy(e -> assertThat(e.get("formattedMessage").asText()).contains("SIP engine listening on 127.0.0.1:"));

        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "dev.hotline.app.Main").redirectErrorStream(true);
        pb.environment().put("HOTLINE_LOG_FORMAT", "xml");
        pb.environment().put("HOTLINE_DATA_DIR", dir.resolve("bad").toString());
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("log.format must be text or json");
        assertThat(p.exitValue()).isNotZero();
    }
}
