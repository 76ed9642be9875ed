package dev.hotline.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.login.LoginThrottle;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
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
        ApiClient admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", TestServer.DEMO_PASSWORD);
        var r = admin.get("/api/v1/does-not-exist");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.code()).isEqualTo("not_found");
        assertThat(r.json().get("message").asText()).isEqualTo("no such route: GET /api/v1/does-not-exist");
        // A route that exists keeps its own refusal: what is missing is the object, not the route.
        var user = admin.get("/api/v1/users/999999");
        assertThat(user.status()).isEqualTo(404);
        assertThat(user.code()).isEqualTo("not_found");
        assertThat(user.json().get("message").asText()).doesNotContain("route").contains("user");
    }

    /**
     * SEC-4 at rest: the database holds a bcrypt hash of each password and the SHA-256 of each session
     * cookie and API token, never the secret itself; logging in (bcrypt verify), the session (hash
     * lookup) and the token (hash lookup) still work.
     */
    @Test
    void passwordsAreStoredAsBcryptAndSessionsAndTokensAsSha256() throws Exception {
        ApiClient admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", TestServer.DEMO_PASSWORD);
        String password = "at-rest-pass-" + System.nanoTime();
        var created = admin.post("/api/v1/users", Map.of("username", "atrest", "password", password,
                "roleId", admin.get("/api/v1/roles").json().findParents("name").stream()
                        .filter(r -> r.get("name").asText().equals("agent")).findFirst().orElseThrow().get("id").asLong()));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        long userId = created.json().get("id").asLong();

        ApiClient user = client();
        var login = user.login("demo", "atrest", password);
        assertThat(login.status()).as("login works against the stored hash").isEqualTo(200);
        String cookie = login.headers().get("set-cookie").get(0).split(";")[0];
        String sessionId = cookie.substring(cookie.indexOf('=') + 1);
        assertThat(sessionId).hasSizeGreaterThan(30);
        var token = admin.post("/api/v1/tokens", Map.of("name", "at-rest"));
        String rawToken = token.json().get("token").asText();

        Jdbi db = server.database();
        String hash = db.withHandle(h -> h.createQuery("SELECT password_hash FROM app_user WHERE id = :u").bind("u", userId)
                .mapTo(String.class).one());
        assertThat(hash).as("bcrypt, cost from the configuration (6 in tests)").matches("\\$2[aby]\\$06\\$[./A-Za-z0-9]{53}")
                .doesNotContain(password);
        assertThat(at.favre.lib.crypto.bcrypt.BCrypt.verifyer().verify(password.toCharArray(), hash).verified)
                .as("the stored hash is the password's").isTrue();

        List<String> sessionHashes = db.withHandle(h -> h.createQuery("SELECT id_hash FROM web_session").mapTo(String.class).list());
        assertThat(sessionHashes).as("the session is kept as the SHA-256 of its cookie").contains(sha256(sessionId))
                .doesNotContain(sessionId);
        List<String> tokenHashes = db.withHandle(h -> h.createQuery("SELECT token_hash FROM api_token").mapTo(String.class).list());
        assertThat(tokenHashes).as("the token is kept as its SHA-256").contains(sha256(rawToken)).doesNotContain(rawToken);

        // Nowhere in the database (any table, any column: audit log included) is a secret in the clear.
        List<String> everything = everyStoredText(db);
        assertThat(everything).isNotEmpty();
        for (String secret : List.of(password, sessionId, rawToken)) {
            assertThat(everything).as("stored text containing a secret").noneMatch(v -> v.contains(secret));
        }

        // And the hashed secrets still do their job.
        assertThat(user.get("/api/v1/me").json().get("username").asText()).isEqualTo("atrest");
        assertThat(new ApiClient(server.baseUrl()).withBearer(rawToken).get("/api/v1/me").json().get("username").asText()).isEqualTo("admin");
        assertThat(new ApiClient(server.baseUrl()).withBearer(sha256(rawToken)).get("/api/v1/me").status())
                .as("the stored hash is not itself a token").isEqualTo(401);
    }

    static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    /** Every non-null value of every table of the server's schema, as text. */
    static List<String> everyStoredText(Jdbi db) throws SQLException {
        return db.withHandle(h -> {
            var conn = h.getConnection();
            List<String> tables = new ArrayList<>();
            try (var rs = conn.getMetaData().getTables(conn.getCatalog(), conn.getSchema(), "%", new String[] {"TABLE"})) {
                while (rs.next()) tables.add(rs.getString("TABLE_NAME"));
            }
            List<String> values = new ArrayList<>();
            for (String t : tables) {
                try (var st = conn.createStatement(); var rs = st.executeQuery("SELECT * FROM " + t)) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= n; i++) {
                            Object v = rs.getObject(i);
                            if (v != null) values.add(v.toString());
                        }
                    }
                }
            }
            assertThat(tables).contains("app_user", "web_session", "api_token", "audit_log");
            return values;
        });
    }
}
