package dev.hotline.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.engine.call.ChannelState;
import dev.hotline.engine.call.Target;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * PBX-2: a trunk's channel limit, both directions together. With its one channel in use, an outbound call goes on
 * to the next route's trunk, then is refused 503 when no route has a channel; an inbound call over it is refused
 * 503 with a call record; once the channel is free, calls pass again.
 */
class TrunkLimitTest extends ServerCallTest {
    @Override
    String defaultCaller() {
        return "13900139000";
    }

    JsonNode record(String caller, String callee) {
        return await("call record " + caller + " -> " + callee).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    for (JsonNode r : admin.get("/api/v1/calls?limit=500").json().get("items")) {
                        if (r.get("caller").asText().equals(caller) && r.get("callee").asText().equals(callee)) return Optional.of(r);
                    }
                    return Optional.<JsonNode>empty();
                }, Optional::isPresent).get();
    }

    String events(JsonNode record) {
        return admin.get("/api/v1/calls/" + record.get("callId").asText() + "/events").body();
    }

    boolean answeredTo(int port) {
        return server.hotline().engine().channels().stream().anyMatch(c -> c.state() == ChannelState.UP
                && c.target().orElse(null) instanceof Target.Uri u && u.port() == port);
    }

    @Test
    void aFullTrunkSendsCallsToTheNextRouteRefusesThem503InAndOutAndTakesThemAgainWhenFree() throws Exception {
        int limitedPort = Ports.free();
        int sparePort = Ports.free();
        var limited = admin.post("/api/v1/trunks", Map.of("name", "limited", "host", "127.0.0.1", "port", limitedPort,
                "maxChannels", 1, "allowedIps", List.of()));
        assertThat(limited.status()).as(limited.toString()).isEqualTo(201);
        long t1 = limited.json().get("id").asLong();
        long t2 = admin.post("/api/v1/trunks", Map.of("name", "spare", "host", "127.0.0.1", "port", sparePort)).json().get("id").asLong();
        assertThat(admin.post("/api/v1/outbound-routes", Map.of("name", "first", "prefix", "8", "stripDigits", 1, "trunkId", t1,
                "priority", 1)).status()).isEqualTo(201);
        long r2 = admin.post("/api/v1/outbound-routes", Map.of("name", "second", "prefix", "8", "stripDigits", 1, "trunkId", t2,
                "priority", 2)).json().get("id").asLong();
        assertThat(admin.post("/api/v1/numbers", Map.of("number", "4698", "trunkId", t1, "destinationType", "extension",
                "destination", "1002")).status()).isEqualTo(201);
        register("1003", PW, Ports.free(), "200");
        int phone = Ports.free();
        register("1002", PW, phone, "200");

        // A holds the limited trunk's only channel.
        Sipp.Run far = uas("uas_answer", limitedPort, vars());
        Sipp.Run a = uac("uac_call", "81380000001", vars("FROM", "1003", "PAUSE", "12000"), "-au", "1003", "-ap", PW);
        await("call A up on the limited trunk").atMost(Duration.ofSeconds(10)).until(() -> answeredTo(limitedPort));

        // B: the first route's trunk is full, the second route's takes it.
        Sipp.Run spare = uas("uas_answer", sparePort, vars());
        ok(uac("uac_call", "81380000002", vars("FROM", "1003", "PAUSE", "300"), "-au", "1003", "-ap", PW));
        ok(spare);
        assertThat(events(record("1003", "81380000002"))).contains("trunk spare 1380000002").doesNotContain("trunk limited");

        // C: no route with a free channel (the second and the demo's catch-all "outside" off): 503.
        assertThat(admin.put("/api/v1/outbound-routes/" + r2, Map.of("name", "second", "prefix", "8", "trunkId", t2,
                "enabled", false)).status()).isEqualTo(200);
        JsonNode outside = admin.get("/api/v1/outbound-routes").json().findParents("name").stream()
                .filter(x -> x.get("name").asText().equals("outside")).findFirst().orElseThrow();
        assertThat(admin.put("/api/v1/outbound-routes/" + outside.get("id").asLong(), Map.of("name", "outside", "prefix", "",
                "trunkId", outside.get("trunkId").asLong(), "enabled", false)).status()).isEqualTo(200);
        ok(uac("uac_fail_auth", "81380000003", vars("FROM", "1003", "CODE", "503"), "-au", "1003", "-ap", PW));
        assertThat(record("1003", "81380000003").get("sipStatus").asInt()).isEqualTo(503);

        // D: inbound over the limited trunk while its channel is in use: 503, recorded.
        ok(uac("uac_fail", "4698", vars("FROM", "13900000001", "CODE", "503")));
        JsonNode d = record("13900000001", "4698");
        assertThat(d.get("trunk").asText()).isEqualTo("limited");
        assertThat(d.get("sipStatus").asInt()).isEqualTo(503);
        assertThat(events(d)).contains("channels in use");

        // A ends: the channel is free for an inbound call again.
        ok(a);
        ok(far);
        await("A's leg gone").atMost(Duration.ofSeconds(10)).until(() -> !answeredTo(limitedPort));
        Sipp.Run agent = uas("uas_answer", phone, vars());
        ok(uac("uac_call", "4698", vars("FROM", "13900000002", "PAUSE", "300")));
        ok(agent);
        assertThat(record("13900000002", "4698").get("outcome").asText()).isEqualTo("answered");
    }
}
