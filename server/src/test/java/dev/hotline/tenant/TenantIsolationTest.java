package dev.hotline.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.TestServer;
import dev.hotline.web.Api;
import io.javalin.http.HandlerType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import dev.hotline.testing.TestDatabases;

/**
 * ADM-1 / SEC-4: an admin of one enterprise cannot read or change another enterprise's data by
 * any API route. The test walks every registered route, so a new route is covered the day it is added.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantIsolationTest {
    /** The database this class runs on; a subclass runs the same tests on PostgreSQL. */
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.H2;
    }

    TestServer server;
    ApiClient demoAdmin;
    ApiClient acmeAdmin;
    Map<String, Long> demoIds = new HashMap<>();

    @BeforeAll
    void start() {
        server = TestServer.start(kind(), java.util.Map.of());
        ApiClient operator = ApiClient.loggedIn(server.baseUrl(), "system", "operator", TestServer.DEMO_PASSWORD);
        var acme = operator.post("/api/v1/enterprises", Map.of("code", "acme", "name", "Acme", "adminUsername", "boss", "adminPassword", "acme-pass-1"));
        assertThat(acme.status()).as(acme.toString()).isEqualTo(201);
        acmeAdmin = ApiClient.loggedIn(server.baseUrl(), "acme", "boss", "acme-pass-1");
        demoAdmin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", TestServer.DEMO_PASSWORD);
        demoIds.put("users", firstId(demoAdmin.get("/api/v1/users?q=agent1").json()));
        demoIds.put("departments", firstId(demoAdmin.get("/api/v1/departments").json()));
        demoIds.put("roles", demoAdmin.post("/api/v1/roles", Map.of("name", "demo-custom", "permissions", List.of("user.read"))).json().get("id").asLong());
        demoIds.put("extensions", firstId(demoAdmin.get("/api/v1/extensions").json()));
        demoIds.put("queues", firstId(demoAdmin.get("/api/v1/queues").json()));
        demoIds.put("tokens", demoAdmin.post("/api/v1/tokens", Map.of("name", "demo-token")).json().get("id").asLong());
        demoIds.put("enterprises", acme.json().get("id").asLong() - 1);
        demoIds.put("trunks", firstId(demoAdmin.get("/api/v1/trunks").json()));
        demoIds.put("numbers", firstId(demoAdmin.get("/api/v1/numbers").json()));
        demoIds.put("outbound-routes", firstId(demoAdmin.get("/api/v1/outbound-routes").json()));
        demoIds.put("blacklist", demoAdmin.post("/api/v1/blacklist", Map.of("number", "1390000", "note", "demo")).json().get("id").asLong());
        demoIds.put("conference-rooms", demoAdmin.post("/api/v1/conference-rooms", Map.of("number", "8899", "name", "demo room"))
                .json().get("id").asLong());
        demoIds.put("recordings", 1L);
        demoIds.put("voicemail", 1L); // likewise: no message yet, the answer must be 404
        demoIds.put("callback-list", demoAdmin.post("/api/v1/callback-list", Map.of("number", "1370*", "delaySeconds", 5))
                .json().get("id").asLong());
        demoIds.put("flows", demoAdmin.post("/api/v1/flows", Map.of("name", "demo_flow")).json().get("id").asLong()); // no recording exists yet: the route must still answer 404, never another tenant's file
        demoIds.put("skills", firstId(demoAdmin.get("/api/v1/skills").json()));
        demoIds.put("reason-codes", firstId(demoAdmin.get("/api/v1/reason-codes").json()));
        demoIds.put("agents", demoIds.get("users")); // agent1: a member of both demo queues
        demoIds.put("ring-groups", demoAdmin.post("/api/v1/ring-groups", Map.of("name", "demo-ring", "members", List.of("1002")))
                .json().get("id").asLong());
        acmeAdmin.post("/api/v1/extensions", Map.of("number", "1001"));
        acmeAdmin.post("/api/v1/trunks", Map.of("name", "acme-trunk", "host", "10.1.1.1"));
    }

    @AfterAll
    void stop() {
        server.close();
    }

    long firstId(JsonNode list) {
        return list.get(0).get("id").asLong();
    }

    /** A body that passes validation in acme, so the only thing that can stop the change is isolation. */
    Map<String, Object> validBody(String resource) {
        return switch (resource) {
            case "users" -> Map.of("username", "hijacked", "password", "hijack-pass-1", "roleId", firstId(acmeAdmin.get("/api/v1/roles").json()));
            case "departments" -> Map.of("name", "hijacked");
            case "roles" -> Map.of("name", "hijacked", "permissions", List.of("user.read"));
            case "extensions" -> Map.of("number", "7777", "sipPassword", "hijack-pass-1");
            case "queues" -> Map.of("name", "hijacked");
            case "enterprises" -> Map.of("name", "hijacked", "enabled", false);
            case "trunks" -> Map.of("name", "hijacked", "host", "10.9.9.9");
            case "conference-rooms" -> Map.of("number", "8898", "name", "hijacked");
            case "flows" -> Map.of("start", "a", "nodes", Map.of("a", Map.of("type", "hangup")));
            case "voicemail" -> Map.of("handled", true);
            case "numbers" -> Map.of("number", "4999", "destination", "1001");
            case "ring-groups" -> Map.of("name", "hijacked", "members", List.of("1001"));
            case "outbound-routes" -> Map.of("name", "hijacked", "prefix", "9", "trunkId", firstId(acmeAdmin.get("/api/v1/trunks").json()));
            default -> Map.of("name", "hijacked");
        };
    }

    String snapshotOfDemo() {
        StringBuilder sb = new StringBuilder();
        for (String path : List.of("/api/v1/users", "/api/v1/departments", "/api/v1/roles", "/api/v1/extensions", "/api/v1/queues",
                "/api/v1/tokens", "/api/v1/trunks", "/api/v1/numbers", "/api/v1/outbound-routes", "/api/v1/blacklist",
                "/api/v1/conference-rooms", "/api/v1/settings/recording", "/api/v1/flows", "/api/v1/voicemail", "/api/v1/callback-list",
                "/api/v1/skills", "/api/v1/reason-codes", "/api/v1/ring-groups", "/api/v1/agents", "/api/v1/agents/" + demoIds.get("users") + "/events")) {
            sb.append(demoAdmin.get(path).body());
        }
        return sb.toString().replaceAll("\"lastUsedAt\":[^,}]*", "");
    }

    @Test
    void everyRouteWithAnIdRefusesAnotherEnterprisesObjects() {
        String before = snapshotOfDemo();
        int checked = 0;
        for (Api.Route r : server.hotline().routes()) {
            if (!r.path().contains("{id}")) continue; // {callId} routes: see CallRecordsTest
            String resource = r.path().substring(Api.PREFIX.length() + 1, r.path().indexOf('/', Api.PREFIX.length() + 1));
            Long id = demoIds.get(resource);
            assertThat(id).as("test knows a demo object for " + r.path()).isNotNull();
            String path = r.path().replace("{id}", String.valueOf(id)).replace("{version}", "1")
                    .replace("{userId}", String.valueOf(demoIds.get("users")));
            ApiClient.Response resp = switch (r.method().name()) {
                case "GET" -> acmeAdmin.get(path);
                case "PUT" -> acmeAdmin.put(path, validBody(resource));
                case "POST" -> acmeAdmin.post(path, validBody(resource));
                case "DELETE" -> acmeAdmin.delete(path);
                default -> throw new AssertionError(r.method());
            };
            assertThat(resp.status()).as(r.method() + " " + path + " → " + resp).isIn(403, 404);
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(32);
        assertThat(snapshotOfDemo()).as("demo's data unchanged").isEqualTo(before);
    }

    @Test
    void everyListRouteShowsOnlyTheCallersOwnData() {
        int checked = 0;
        for (Api.Route r : server.hotline().routes()) {
            if (r.method() != HandlerType.GET || r.path().contains("{") || !r.authenticated()) continue;
            if (r.path().endsWith("/tts/preview")) continue; // renders the text it is given, reads no data
            var resp = acmeAdmin.get(r.path());
            if (resp.status() == 403) continue;
            assertThat(resp.status()).as(r.path()).isEqualTo(200);
            assertThat(resp.body()).as(r.path()).doesNotContain("agent1").doesNotContain("\"demo\"").doesNotContain("\"1002\"")
                    .doesNotContain("loopback").doesNotContain("1390000").doesNotContain("demo_flow").doesNotContain("1370*")
                    .doesNotContain("demo-custom").doesNotContain("demo-token").doesNotContain("support");
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(8);
    }

    @Test
    void anAcmeUserCannotBeGivenADemoRoleOrDepartment() {
        var r = acmeAdmin.post("/api/v1/users", Map.of("username", "x1", "password", "hijack-pass-1",
                "roleId", demoIds.get("roles"), "departmentId", demoIds.get("departments")));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("fieldErrors").findValuesAsText("field")).contains("roleId", "departmentId");
        var x = acmeAdmin.post("/api/v1/extensions", Map.of("number", "1001", "userId", demoIds.get("users")));
        assertThat(x.status()).isEqualTo(400);
    }

    @Test
    void sameNamesMayExistInTwoEnterprises() {
        var u = acmeAdmin.post("/api/v1/users", Map.of("username", "lead", "password", "acme-pass-1",
                "roleId", firstId(acmeAdmin.get("/api/v1/roles").json()), "extension", "1003"));
        assertThat(u.status()).as(u.toString()).isEqualTo(201);
        assertThat(acmeAdmin.get("/api/v1/users").json()).hasSize(2);
        assertThat(new ApiClient(server.baseUrl()).login("acme", "lead", TestServer.DEMO_PASSWORD).status()).isEqualTo(401);
        assertThat(new ApiClient(server.baseUrl()).login("acme", "lead", "acme-pass-1").status()).isEqualTo(200);
    }

    @Test
    void onlyTheOperatorManagesEnterprisesAndDisabledOnesCannotLogIn() {
        assertThat(demoAdmin.get("/api/v1/enterprises").status()).isEqualTo(403);
        ApiClient operator = ApiClient.loggedIn(server.baseUrl(), "system", "operator", TestServer.DEMO_PASSWORD);
        assertThat(operator.get("/api/v1/users").status()).as("operator does not read tenants' users").isEqualTo(403);
        assertThat(operator.post("/api/v1/enterprises", Map.of("code", "system", "name", "x", "adminUsername", "a1", "adminPassword", "aaaa-bbbb")).status()).isEqualTo(400);
        assertThat(operator.post("/api/v1/enterprises", Map.of("code", "demo", "name", "x", "adminUsername", "a1", "adminPassword", "aaaa-bbbb")).status()).isEqualTo(409);
        assertThat(operator.post("/api/v1/enterprises", Map.of("code", "Bad Code", "name", "x")).status()).isEqualTo(400);
        var tmp = operator.post("/api/v1/enterprises", Map.of("code", "tmp-co", "name", "Tmp", "adminUsername", "t1", "adminPassword", "tmp-pass-1"));
        long id = tmp.json().get("id").asLong();
        assertThat(new ApiClient(server.baseUrl()).login("tmp-co", "t1", "tmp-pass-1").status()).isEqualTo(200);
        ApiClient tmpAdmin = ApiClient.loggedIn(server.baseUrl(), "tmp-co", "t1", "tmp-pass-1");
        assertThat(operator.put("/api/v1/enterprises/" + id, Map.of("enabled", false)).status()).isEqualTo(200);
        assertThat(new ApiClient(server.baseUrl()).login("tmp-co", "t1", "tmp-pass-1").status()).isEqualTo(401);
        assertThat(tmpAdmin.get("/api/v1/me").status()).as("existing sessions end too").isEqualTo(401);
        assertThat(operator.get("/api/v1/enterprises").json().findValuesAsText("code")).contains("system", "demo", "acme", "tmp-co");
    }
}
