package dev.hotline.directory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.TestServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import dev.hotline.testing.TestDatabases;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DirectoryApiTest {
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

    long roleId(String name) {
        for (JsonNode r : admin.get("/api/v1/roles").json()) if (r.get("name").asText().equals(name)) return r.get("id").asLong();
        throw new AssertionError("no role " + name);
    }

    Map<String, Object> user(String username, String extension, String job) {
        Map<String, Object> m = new HashMap<>();
        m.put("username", username);
        m.put("displayName", "User " + username);
        m.put("password", "secret-pass-1");
        m.put("roleId", roleId("agent"));
        m.put("extension", extension);
        m.put("jobNumber", job);
        return m;
    }

    @Test
    void demoDataIsThere() {
        JsonNode users = admin.get("/api/v1/users").json();
        assertThat(users.findValuesAsText("username")).contains("admin", "lead", "agent1", "agent2", "agent3");
        assertThat(users.findValuesAsText("extension")).contains("1001", "1002", "1003");
        assertThat(users.findValuesAsText("jobNumber")).contains("8001", "8002", "8003");
        assertThat(admin.get("/api/v1/queues").json().findValuesAsText("name")).containsExactly("sales", "support");
        assertThat(admin.get("/api/v1/departments").json()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(admin.get("/api/v1/extensions").json().findValuesAsText("number")).contains("1001", "1002", "1003");
    }

    @Test
    void createReadUpdateDeleteAUserWithAnExtension() {
        var created = admin.post("/api/v1/users", user("carol", "2001", "9001"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        assertThat(created.json().get("extension").asText()).isEqualTo("2001");
        assertThat(created.json().has("passwordHash")).isFalse();
        assertThat(created.body()).doesNotContain("secret-pass-1");
        assertThat(new ApiClient(server.baseUrl()).login("demo", "carol", "secret-pass-1").status()).isEqualTo(200);

        var upd = user("carol", "2002", "9001");
        upd.put("password", null);
        upd.put("enabled", false);
        var updated = admin.put("/api/v1/users/" + id, upd);
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        assertThat(updated.json().get("extension").asText()).isEqualTo("2002");
        assertThat(new ApiClient(server.baseUrl()).login("demo", "carol", "secret-pass-1").status()).as("disabled").isEqualTo(401);
        assertThat(admin.get("/api/v1/extensions").json().findValuesAsText("number")).contains("2001", "2002");

        assertThat(admin.get("/api/v1/users?q=carol").json()).hasSize(1);
        assertThat(admin.delete("/api/v1/users/" + id).status()).isEqualTo(204);
        assertThat(admin.get("/api/v1/users/" + id).status()).isEqualTo(404);
    }

    @Test
    void userValidationNamesEveryBadField() {
        Map<String, Object> bad = new HashMap<>();
        bad.put("username", "x y");
        bad.put("password", "short");
        bad.put("roleId", 999999);
        bad.put("extension", "1234567");
        bad.put("jobNumber", "no spaces please");
        bad.put("email", "not-mail");
        var r = admin.post("/api/v1/users", bad);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.code()).isEqualTo("validation_failed");
        assertThat(r.json().get("fieldErrors").findValuesAsText("field"))
                .contains("username", "password", "roleId", "extension", "jobNumber", "email");
        assertThat(admin.post("/api/v1/users", Map.of("username", 12)).status()).isEqualTo(400);
    }

    @Test
    void usernamesExtensionsAndJobNumbersAreUniquePerEnterprise() {
        var dupName = admin.post("/api/v1/users", user("agent1", null, null));
        assertThat(dupName.status()).isEqualTo(409);
        assertThat(dupName.code()).isEqualTo("conflict");
        var dupExt = admin.post("/api/v1/users", user("dave", "1001", null));
        assertThat(dupExt.status()).isEqualTo(409);
        assertThat(admin.get("/api/v1/users?q=dave").json()).as("nothing half-created").isEmpty();
        var dupJob = admin.post("/api/v1/users", user("erin", null, "8001"));
        assertThat(dupJob.status()).isEqualTo(400);
        assertThat(dupJob.json().get("fieldErrors").findValuesAsText("field")).contains("jobNumber");
        var ext = admin.post("/api/v1/extensions", Map.of("number", "1002"));
        assertThat(ext.status()).isEqualTo(409);
    }

    @Test
    void adminsCannotDeleteThemselves() {
        long self = admin.get("/api/v1/me").json().get("id").asLong();
        assertThat(admin.delete("/api/v1/users/" + self).status()).isEqualTo(409);
    }

    @Test
    void departmentsNestRefuseCyclesAndCannotBeDeletedWhileInUse() {
        long parent = admin.post("/api/v1/departments", Map.of("name", "售后 After-sales")).json().get("id").asLong();
        var child = admin.post("/api/v1/departments", Map.of("name", "Repairs", "parentId", parent));
        assertThat(child.status()).isEqualTo(201);
        long childId = child.json().get("id").asLong();
        assertThat(admin.put("/api/v1/departments/" + parent, Map.of("name", "售后 After-sales", "parentId", childId)).status()).isEqualTo(400);
        assertThat(admin.delete("/api/v1/departments/" + parent).status()).isEqualTo(409);
        assertThat(admin.post("/api/v1/departments", Map.of("name", "Repairs")).status()).isEqualTo(409);
        assertThat(admin.post("/api/v1/departments", Map.of("name", " ")).status()).isEqualTo(400);
        assertThat(admin.delete("/api/v1/departments/" + childId).status()).isEqualTo(204);
        assertThat(admin.delete("/api/v1/departments/" + parent).status()).isEqualTo(204);
    }

    @Test
    void customRolesGrantExactlyTheirPermissions() {
        var perms = admin.get("/api/v1/permissions").json().findValuesAsText("name");
        assertThat(perms).contains("user.read", "audit.read").doesNotContain("enterprise.manage");
        var bad = admin.post("/api/v1/roles", Map.of("name", "x", "permissions", List.of("enterprise.manage")));
        assertThat(bad.status()).isEqualTo(400);
        var role = admin.post("/api/v1/roles", Map.of("name", "auditor", "permissions", List.of("audit.read", "user.read")));
        assertThat(role.status()).isEqualTo(201);
        var u = user("auditor1", null, null);
        u.put("roleId", role.json().get("id").asLong());
        assertThat(admin.post("/api/v1/users", u).status()).isEqualTo(201);

        ApiClient auditor = ApiClient.loggedIn(server.baseUrl(), "demo", "auditor1", "secret-pass-1");
        assertThat(auditor.get("/api/v1/users").status()).isEqualTo(200);
        assertThat(auditor.get("/api/v1/audit").status()).isEqualTo(200);
        assertThat(auditor.get("/api/v1/queues").status()).isEqualTo(403);
        assertThat(auditor.post("/api/v1/departments", Map.of("name", "nope")).status()).isEqualTo(403);
        assertThat(admin.delete("/api/v1/roles/" + role.json().get("id").asLong()).status()).as("in use").isEqualTo(409);

        long builtin = roleId("agent");
        assertThat(admin.put("/api/v1/roles/" + builtin, Map.of("name", "agent", "permissions", List.of("user.write"))).status()).isEqualTo(409);
        assertThat(admin.delete("/api/v1/roles/" + builtin).status()).isEqualTo(409);
    }

    @Test
    void builtInRolesLimitAgentsAndSupervisors() {
        ApiClient agent = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", TestServer.DEMO_PASSWORD);
        assertThat(agent.get("/api/v1/users").status()).isEqualTo(403);
        assertThat(agent.get("/api/v1/audit").status()).isEqualTo(403);
        assertThat(agent.get("/api/v1/me").status()).isEqualTo(200);
        ApiClient lead = ApiClient.loggedIn(server.baseUrl(), "demo", "lead", TestServer.DEMO_PASSWORD);
        assertThat(lead.get("/api/v1/users").status()).isEqualTo(200);
        var write = lead.post("/api/v1/users", user("by-lead", null, null));
        assertThat(write.status()).isEqualTo(403);
        assertThat(write.code()).isEqualTo("forbidden");
        assertThat(lead.get("/api/v1/enterprises").status()).isEqualTo(403);
    }

    @Test
    void extensionsGenerateASipPasswordShownOnceAndValidateNumbers() {
        var created = admin.post("/api/v1/extensions", Map.of("number", "3001"));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("generatedPassword").asText()).hasSizeGreaterThanOrEqualTo(12);
        long id = created.json().get("id").asLong();
        assertThat(admin.get("/api/v1/extensions/" + id).body()).doesNotContain("assword");
        var given = admin.post("/api/v1/extensions", Map.of("number", "3002", "sipPassword", "my-sip-secret"));
        assertThat(given.json().has("generatedPassword")).isFalse();
        for (String bad : new String[] {"", "1234567", "12a", "-1"}) {
            assertThat(admin.post("/api/v1/extensions", Map.of("number", bad)).status()).as(bad).isEqualTo(400);
        }
        assertThat(admin.post("/api/v1/extensions", Map.of("number", "3003", "sipPassword", "short")).status()).isEqualTo(400);
        assertThat(admin.put("/api/v1/extensions/" + id, Map.of("number", "3009", "enabled", false)).json().get("enabled").asBoolean()).isFalse();
        assertThat(admin.delete("/api/v1/extensions/" + id).status()).isEqualTo(204);
        assertThat(admin.delete("/api/v1/extensions/" + id).status()).isEqualTo(404);
    }

    @Test
    void queuesAreValidated() {
        var q = admin.post("/api/v1/queues", Map.of("name", "vip", "strategy", "fewest_calls"));
        assertThat(q.status()).isEqualTo(201);
        assertThat(q.json().get("strategy").asText()).isEqualTo("fewest_calls");
        assertThat(admin.post("/api/v1/queues", Map.of("name", "x", "strategy", "telepathy")).status()).isEqualTo(400);
        assertThat(admin.post("/api/v1/queues", Map.of("name", "sales")).status()).isEqualTo(409);
        assertThat(admin.delete("/api/v1/queues/" + q.json().get("id").asLong()).status()).isEqualTo(204);
    }

    @Test
    void nonNumericIdsAreNotFound() {
        assertThat(admin.get("/api/v1/users/abc").status()).isEqualTo(404);
        assertThat(admin.get("/api/v1/users/-1").status()).isEqualTo(404);
    }
}
