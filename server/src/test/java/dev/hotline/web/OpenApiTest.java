package dev.hotline.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.TestServer;
import org.junit.jupiter.api.Test;

class OpenApiTest {
    @Test
    void documentListsEveryRouteWithItsSchemas() {
        try (TestServer server = TestServer.start()) {
            var r = new ApiClient(server.baseUrl()).get("/api/v1/openapi.json");
            assertThat(r.status()).isEqualTo(200);
            JsonNode doc = r.json();
            assertThat(doc.get("openapi").asText()).startsWith("3.");
            for (Api.Route route : server.hotline().routes()) {
                JsonNode op = doc.get("paths").path(route.path()).path(route.method().name().toLowerCase());
                assertThat(op.isMissingNode()).as(route.method() + " " + route.path()).isFalse();
                assertThat(op.get("summary").asText()).isNotBlank();
            }
            assertThat(doc.at("/components/schemas/User/properties/username/type").asText()).isEqualTo("string");
            assertThat(doc.at("/components/schemas/ErrorBody/properties/fieldErrors/type").asText()).isEqualTo("array");
            assertThat(doc.at("/paths/~1api~1v1~1auth~1login/post/security").isArray()).as("login is public").isTrue();
            // API-1: the desk's attended transfer, answer, mute and keys are call control for integrators too.
            JsonNode paths = doc.get("paths");
            for (String[] op : new String[][] {{"post", "/consult"}, {"delete", "/consult"}, {"post", "/consult/complete"},
                    {"post", "/consult/conference"}, {"post", "/answer"}, {"post", "/mute"}, {"post", "/dtmf"}}) {
                JsonNode o = paths.path("/api/v1/live-calls/{legId}" + op[1]).path(op[0]);
                assertThat(o.isMissingNode()).as(op[0] + " " + op[1]).isFalse();
                assertThat(o.get("tags").toString()).as(op[0] + " " + op[1]).contains("call-control");
            }
            assertThat(paths.at("/~1api~1v1~1live-calls~1{legId}~1consult/post/requestBody").toString()).contains("TransferInput");
            assertThat(paths.at("/~1api~1v1~1live-calls~1{legId}~1mute/post/requestBody").toString()).contains("MuteInput");
            assertThat(paths.at("/~1api~1v1~1live-calls~1{legId}~1dtmf/post/requestBody").toString()).contains("DtmfInput");
            assertThat(new ApiClient(server.baseUrl()).get("/api/v1/health").json().get("status").asText()).isEqualTo("UP");
        }
    }
}
