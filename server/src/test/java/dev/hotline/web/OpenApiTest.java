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
            assertThat(new ApiClient(server.baseUrl()).get("/api/v1/health").json().get("status").asText()).isEqualTo("UP");
        }
    }
}
