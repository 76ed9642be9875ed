package dev.hotline.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * PBX-1 through the whole server: an extension dials out through a trunk whose transport is TCP (API field
 * {@code transport}, as {@link SipTlsTrunkTest} does for TLS). The carrier is a SIPp UAS over TCP ({@code -t t1}): it
 * gets the INVITE over TCP with a TCP Via, answers, the call is bridged, the phone hangs up, the carrier gets the BYE
 * over TCP, and the call record is written.
 */
class SipTcpTrunkTest extends ServerCallTest {
    @Override
    String defaultCaller() {
        return "13800138000";
    }

    @Test
    void anExtensionCallsOutThroughATcpTrunkAndTheCallIsRecorded() throws Exception {
        int carrier = Ports.free();
        var created = admin.post("/api/v1/trunks", Map.of("name", "carrier-tcp", "host", "127.0.0.1", "port", carrier,
                "transport", "tcp", "allowedIps", List.of()));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().get("transport").asText()).isEqualTo("tcp");
        long trunk = created.json().get("id").asLong();
        var route = admin.post("/api/v1/outbound-routes", Map.of("name", "tcp-out", "prefix", "6", "stripDigits", 1,
                "trunkId", trunk, "callerId", "02188887777", "priority", 1));
        assertThat(route.status()).as(route.toString()).isEqualTo(201);
        register("1003", PW, Ports.free(), "200");

        Sipp.Run far = Sipp.start(work, "uas_answer", vars("FROMCHECK", "sip:02188887777@"), null, carrier,
                List.of("-t", "t1", "-rtp_echo", "-mp", Integer.toString(Ports.free(4))));
        Sipp.awaitTcpBound(carrier);
        ok(uac("uac_call", "613800138005", vars("FROM", "1003", "PAUSE", "500"), "-au", "1003", "-ap", PW));
        ok(far);
        String carrierSaw = far.messages().toLowerCase(Locale.ROOT);
        assertThat(carrierSaw).contains("tcp message received")
                .contains("invite sip:13800138005@127.0.0.1:" + carrier + ";transport=tcp sip/2.0")
                .contains("via: sip/2.0/tcp").contains("bye sip:");

        JsonNode record = await("the call record").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> find("1003", "613800138005"), Optional::isPresent).get();
        assertThat(record.get("direction").asText()).isEqualTo("outbound");
        assertThat(record.get("outcome").asText()).isEqualTo("answered");
        assertThat(admin.get("/api/v1/calls/" + record.get("callId").asText() + "/events").body()).contains("carrier-tcp 13800138005");
    }

    private Optional<JsonNode> find(String caller, String callee) {
        for (JsonNode r : admin.get("/api/v1/calls?limit=500").json().get("items")) {
            if (r.get("caller").asText().equals(caller) && r.get("callee").asText().equals(callee)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
