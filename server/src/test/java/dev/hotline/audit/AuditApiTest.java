package dev.hotline.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.TestServer;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import dev.hotline.testing.TestDatabases;

/** ADM-3: logins, logouts and every admin change are logged with who, when, what and from where. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditApiTest {
    /** The database this class runs on; a subclass runs the same tests on PostgreSQL. */
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.H2;
    }

    TestServer server;
    ApiClient admin;

    @BeforeAll
    void start() {
        server = TestServer.start(kind(), java.util.Map.of());
        admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", TestServer.DEMO_PASSWORD);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    static JsonNode find(JsonNode items, String action, String target) {
        for (JsonNode i : items) if (i.get("action").asText().equals(action) && target.equals(i.path("target").asText())) return i;
        throw new AssertionError("no " + action + " " + target + " in " + items);
    }

    @Test
    void loginsFailuresLogoutsAndChangesAreLogged() {
        Instant start = Instant.now().minusSeconds(1);
        new ApiClient(server.baseUrl()).login("demo", "lead", "wrong-password-1");
        ApiClient lead = ApiClient.loggedIn(server.baseUrl(), "demo", "lead", TestServer.DEMO_PASSWORD);
        lead.post("/api/v1/auth/logout", null);
        admin.post("/api/v1/departments", Map.of("name", "Audit dept"));
        long q = admin.post("/api/v1/queues", Map.of("name", "audited", "strategy", "random")).json().get("id").asLong();
        admin.put("/api/v1/queues/" + q, Map.of("name", "audited", "strategy", "linear"));
        admin.delete("/api/v1/queues/" + q);

        JsonNode page = admin.get("/api/v1/audit?limit=100&from=" + start).json();
        JsonNode items = page.get("items");
        assertThat(page.get("total").asLong()).isGreaterThanOrEqualTo(7);
        JsonNode failed = find(items, "auth.login_failed", "lead");
        assertThat(failed.get("ip").asText()).isEqualTo("127.0.0.1");
        assertThat(find(items, "auth.login", "lead").get("username").asText()).isEqualTo("lead");
        find(items, "auth.logout", "lead");
        JsonNode dept = find(items, "department.create", "Audit dept");
        assertThat(dept.get("username").asText()).isEqualTo("admin");
        assertThat(Instant.parse(dept.get("at").asText())).isAfter(start);
        assertThat(find(items, "queue.update", "audited").get("detail").asText()).contains("linear");
        find(items, "queue.delete", "audited");
        assertThat(Instant.parse(items.get(0).get("at").asText())).as("newest first")
                .isAfterOrEqualTo(Instant.parse(items.get(items.size() - 1).get("at").asText()));
    }

    @Test
    void filtersAndPaging() {
        admin.post("/api/v1/departments", Map.of("name", "Filter dept"));
        JsonNode onlyDept = admin.get("/api/v1/audit?action=department.").json().get("items");
        assertThat(onlyDept.findValuesAsText("action")).allMatch(a -> a.startsWith("department."));
        JsonNode byUser = admin.get("/api/v1/audit?user=admin").json().get("items");
        assertThat(byUser.findValuesAsText("username")).containsOnly("admin");
        JsonNode p1 = admin.get("/api/v1/audit?limit=1&offset=0").json();
        JsonNode p2 = admin.get("/api/v1/audit?limit=1&offset=1").json();
        assertThat(p1.get("items")).hasSize(1);
        assertThat(p1.get("items").get(0).get("id")).isNotEqualTo(p2.get("items").get(0).get("id"));
        assertThat(admin.get("/api/v1/audit?to=2000-01-01T00:00:00Z").json().get("total").asLong()).isZero();
    }

    @Test
    void badFiltersAreRejected() {
        assertThat(admin.get("/api/v1/audit?from=yesterday").status()).isEqualTo(400);
        assertThat(admin.get("/api/v1/audit?limit=100000").status()).isEqualTo(400);
        assertThat(admin.get("/api/v1/audit?offset=-3").status()).isEqualTo(400);
        assertThat(admin.get("/api/v1/audit?limit=abc").status()).isEqualTo(400);
    }

    @Test
    void agentsCannotReadTheLog() {
        assertThat(ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", TestServer.DEMO_PASSWORD).get("/api/v1/audit").status()).isEqualTo(403);
    }
}
