package dev.hotline.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.login.LoginThrottle;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import dev.hotline.testing.TestDatabases;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthApiTest {
    /** The database this class runs on; a subclass runs the same tests on PostgreSQL. */
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.H2;
    }

    TestServer server;

    @BeforeAll
    void start() {
        server = TestServer.start(kind(), java.util.Map.of());
    }

    @AfterAll
    void stop() {
        server.close();
    }

    ApiClient client() {
        return new ApiClient(server.baseUrl());
    }

    @Test
    void loginSetsAHttpOnlyStrictCookieAndMeDescribesTheUser() {
        ApiClient c = client();
        var r = c.login("demo", "admin", TestServer.DEMO_PASSWORD);
        assertThat(r.status()).isEqualTo(200);
        String cookie = r.headers().get("set-cookie").get(0);
        assertThat(cookie).startsWith("HOTLINE_SESSION=").containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Strict");
        var me = c.get("/api/v1/me");
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("username").asText()).isEqualTo("admin");
        assertThat(me.json().get("enterprise").get("code").asText()).isEqualTo("demo");
        assertThat(me.json().get("role").asText()).isEqualTo("admin");
        assertThat(me.json().get("permissions").toString()).contains("user.write").doesNotContain("enterprise.manage");
        assertThat(me.json().get("csrfToken").asText()).isNotBlank();
    }

    @Test
    void enterpriseCodeAndUsernameAreCaseInsensitive() {
        assertThat(client().login("DEMO", "Agent1", TestServer.DEMO_PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void wrongPasswordUnknownUserAndUnknownEnterpriseAllAnswerTheSame() {
        for (var r : new ApiClient.Response[] {
                client().login("demo", "admin", "wrong-password"),
                client().login("demo", "nobody", "wrong-password"),
                client().login("no-such-enterprise", "admin", "wrong-password")}) {
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.code()).isEqualTo("bad_credentials");
        }
    }

    @Test
    void repeatedFailuresLockTheAccountEvenForTheRightPassword() {
        ApiClient c = client();
        for (int i = 0; i < LoginThrottle.MAX_PER_ACCOUNT; i++) assertThat(c.login("demo", "agent3", "bad-" + i).status()).isEqualTo(401);
        var locked = c.login("demo", "agent3", TestServer.DEMO_PASSWORD);
        assertThat(locked.status()).isEqualTo(429);
        assertThat(locked.code()).isEqualTo("locked_out");
        assertThat(client().login("demo", "agent2", TestServer.DEMO_PASSWORD).status()).as("other accounts unaffected").isEqualTo(200);
    }

    @Test
    void loginValidatesItsBody() {
        var r = client().post("/api/v1/auth/login", Map.of("enterprise", "demo"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.code()).isEqualTo("validation_failed");
        assertThat(r.json().get("fieldErrors").toString()).contains("username").contains("password");
        var malformed = client().raw("POST", "/api/v1/auth/login", "{\"enterprise\": ", "application/json");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.code()).isEqualTo("bad_request");
        var wrongType = client().raw("POST", "/api/v1/auth/login", "[1,2]", "application/json");
        assertThat(wrongType.status()).isEqualTo(400);
        var empty = client().raw("POST", "/api/v1/auth/login", "", "application/json");
        assertThat(empty.status()).isEqualTo(400);
    }

    @Test
    void withoutLoginEveryProtectedRouteAnswers401() {
        for (String path : new String[] {"/api/v1/me", "/api/v1/users", "/api/v1/audit", "/api/v1/enterprises", "/api/v1/queues"}) {
            var r = client().get(path);
            assertThat(r.status()).as(path).isEqualTo(401);
            assertThat(r.code()).isEqualTo("unauthenticated");
        }
    }

    @Test
    void changesWithoutTheCsrfTokenAreRefused() {
        ApiClient c = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", TestServer.DEMO_PASSWORD).withoutCsrf();
        var r = c.post("/api/v1/departments", Map.of("name", "CSRF test"));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.code()).isEqualTo("csrf");
        assertThat(c.get("/api/v1/departments").body()).doesNotContain("CSRF test");
    }

    @Test
    void logoutEndsTheSession() {
        ApiClient c = ApiClient.loggedIn(server.baseUrl(), "demo", "lead", TestServer.DEMO_PASSWORD);
        assertThat(c.post("/api/v1/auth/logout", null).status()).isEqualTo(204);
        assertThat(c.get("/api/v1/me").status()).isEqualTo(401);
    }

    @Test
    void apiTokensActAsTheirUserWithoutCsrfAndCanBeRevoked() {
        ApiClient c = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", TestServer.DEMO_PASSWORD);
        var created = c.post("/api/v1/tokens", Map.of("name", "crm"));
        assertThat(created.status()).isEqualTo(201);
        String token = created.json().get("token").asText();
        assertThat(token).startsWith("hl_");
        assertThat(c.get("/api/v1/tokens").body()).contains("crm").doesNotContain(token);

        ApiClient integration = new ApiClient(server.baseUrl()).withBearer(token);
        assertThat(integration.get("/api/v1/me").json().get("username").asText()).isEqualTo("admin");
        assertThat(integration.post("/api/v1/departments", Map.of("name", "Via token")).status()).isEqualTo(201);

        assertThat(c.delete("/api/v1/tokens/" + created.json().get("id").asLong()).status()).isEqualTo(204);
        var revoked = integration.get("/api/v1/me");
        assertThat(revoked.status()).isEqualTo(401);
        assertThat(new ApiClient(server.baseUrl()).withBearer("hl_forged").get("/api/v1/me").status()).isEqualTo(401);
    }

    @Test
    void usersChangeTheirOwnPasswordAndLanguage() {
        ApiClient c = ApiClient.loggedIn(server.baseUrl(), "demo", "agent2", TestServer.DEMO_PASSWORD);
        var wrong = c.put("/api/v1/me/password", Map.of("oldPassword", "nope-nope", "newPassword", "new-pass-456"));
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(c.put("/api/v1/me/password", Map.of("oldPassword", TestServer.DEMO_PASSWORD, "newPassword", "x")).status()).isEqualTo(400);
        assertThat(c.put("/api/v1/me/password", Map.of("oldPassword", TestServer.DEMO_PASSWORD, "newPassword", "new-pass-456")).status()).isEqualTo(204);
        assertThat(client().login("demo", "agent2", "new-pass-456").status()).isEqualTo(200);
        assertThat(c.put("/api/v1/me/password", Map.of("oldPassword", "new-pass-456", "newPassword", TestServer.DEMO_PASSWORD)).status()).isEqualTo(204);

        assertThat(c.put("/api/v1/me/language", Map.of("language", "fr")).status()).isEqualTo(400);
        assertThat(c.put("/api/v1/me/language", Map.of("language", "en")).status()).isEqualTo(204);
        assertThat(c.get("/api/v1/me").json().get("language").asText()).isEqualTo("en");
    }

    @Test
    void unknownApiRoutesAnswerTheErrorBody() {
        var r = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", TestServer.DEMO_PASSWORD).get("/api/v1/does-not-exist");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.code()).isEqualTo("not_found");
    }
}
