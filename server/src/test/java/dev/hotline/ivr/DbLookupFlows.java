package dev.hotline.ivr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.engine.testing.Sipp;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.SipPeers;
import dev.hotline.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the IVR-1 database lookup tests share ({@link DbLookupCallsTest} on an H2 server source,
 * {@link IvrDataSourceReadOnlyPostgresTest} on PostgreSQL): the demo admin on a running server, flows published on numbers
 * of their own, SIPp callers, and the IVR steps logged for a caller's call.
 */
final class DbLookupFlows {
    final TestServer server;
    final ApiClient admin;
    /** The test's folder for SIPp's files (a supplier: JUnit fills a @TempDir field after @BeforeAll ran). */
    private final Supplier<Path> work;
    private int nextNumber;

    DbLookupFlows(TestServer server, Supplier<Path> work, int firstNumber) {
        this.server = server;
        this.admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", TestServer.DEMO_PASSWORD);
        this.work = work;
        this.nextNumber = firstNumber;
    }

    /** A flow with one lookup {@code q} on {@code source}: found → hit, not found → miss (both hang up), error → err (a prompt). */
    static String oneLookup(String source, String query) {
        return "{'start':'q','nodes':{'q':{'type':'db','source':'" + source + "','query':'" + query
                + "','found':'hit','notFound':'miss','error':'err'},'hit':{'type':'hangup'},'miss':{'type':'hangup'},"
                + "'err':{'type':'play','prompts':[{'prompt':'TRY_LATER'}],'next':'bye'},'bye':{'type':'hangup'}}}";
    }

    /** Adds a data source of the demo; its id. */
    long source(ApiClient as, Map<String, Object> in) {
        var r = as.post("/api/v1/ivr/data-sources", in);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("id").asLong();
    }

    /** Publishes {@code graphJson} (single quotes for double) as flow {@code name} on a number of its own; the number. */
    String publish(String name, String graphJson) {
        long id = admin.post("/api/v1/flows", Map.of("name", name)).json().get("id").asLong();
        var saved = admin.raw("PUT", "/api/v1/flows/" + id + "/draft", graphJson.replace('\'', '"'), "application/json");
        assertThat(saved.status()).as(saved.toString()).isEqualTo(200);
        assertThat(saved.json().get("problems")).as(saved.toString()).isEmpty();
        var pub = admin.post("/api/v1/flows/" + id + "/publish", null);
        assertThat(pub.status()).as(pub.toString()).isEqualTo(200);
        String number = Integer.toString(nextNumber++);
        assertThat(admin.post("/api/v1/numbers", Map.of("number", number, "destinationType", "flow", "destination", name)).status())
                .isEqualTo(201);
        return number;
    }

    SipPeers peers() {
        return new SipPeers(work.get(), server.hotline().engine().sipPort());
    }

    /** A SIPp caller {@code from} to {@code number} who stays {@code stayMs} unless the flow hangs up first. */
    Sipp.Run call(String number, String from, int stayMs) throws Exception {
        return peers().uac("uac_digits", number, SipPeers.vars(from, "PAUSE", Integer.toString(stayMs), "AFTER", "200", "DTMFACTIONS",
                SipPeers.dtmf("")));
    }

    /** The logged IVR steps of the caller's call: "node:<id>" and "key:<key>". */
    List<String> steps(String caller) {
        JsonNode call = await("call of " + caller).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).until(() -> {
            for (JsonNode r : admin.get("/api/v1/calls?number=" + caller).json().get("items")) return Optional.of(r);
            return Optional.<JsonNode>empty();
        }, Optional::isPresent).get();
        List<String> out = new ArrayList<>();
        for (JsonNode e : admin.get("/api/v1/calls/" + call.get("callId").asText() + "/events").json()) {
            String data = e.path("data").asText();
            if (e.get("type").asText().equals("ivr_node")) out.add("node:" + data.replaceAll(".*node=(\\S+).*", "$1"));
            if (e.get("type").asText().equals("ivr_key")) out.add("key:" + data.replaceAll(".*key=(\\S+).*", "$1"));
        }
        return out;
    }

    /** The enterprise that owns the data source {@code sourceName}. */
    long enterpriseOf(String sourceName) {
        return server.database().withHandle(h -> h.createQuery("SELECT enterprise_id FROM ivr_data_source WHERE name = :n")
                .bind("n", sourceName).mapTo(Long.class).one());
    }
}
