package dev.hotline.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.engine.testing.SipDatagrams;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.TestDatabases;
import dev.hotline.testing.TestServer;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * SEC-1 through the whole server over UDP, each attack from a loopback address of its own (127.0.0.x): an OPTIONS
 * sweep, a scanner's User-Agent, extension enumeration, 50 wrong passwords from one address, guessing one account from
 * several addresses; bans listed and lifted by the operator; no product name in the headers by default.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SipScannerTest {
    static final String PW = TestServer.DEMO_PASSWORD;
    TestServer server;
    int sipPort;
    ApiClient operator;

    Map<String, String> settings;

    @BeforeAll
    void start() throws Exception {
        settings = Map.of("db.url", TestDatabases.migrated(TestDatabases.Kind.H2),
                "data.dir", java.nio.file.Files.createTempDirectory("sip-scanner").toString());
        server = TestServer.start(TestDatabases.Kind.H2, settings);
        sipPort = server.hotline().engine().sipPort();
        operator = ApiClient.loggedIn(server.baseUrl(), "system", "operator", PW);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    DatagramSocket socket(String address) throws Exception {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), 0));
        s.setSoTimeout(1500);
        return s;
    }

    String local(DatagramSocket s) {
        return s.getLocalAddress().getHostAddress() + ":" + s.getLocalPort();
    }

    String exchange(DatagramSocket s, String message) throws Exception {
        return SipDatagrams.exchange(s, sipPort, message);
    }

    String request(DatagramSocket s, String method, String user, String extra) {
        return method + " sip:" + user + "@127.0.0.1:" + sipPort + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + local(s) + ";branch=z9hG4bK" + UUID.randomUUID() + "\r\n"
                + "From: <sip:" + user + "@127.0.0.1>;tag=" + UUID.randomUUID().toString().substring(0, 8) + "\r\n"
                + "To: <sip:" + user + "@127.0.0.1>\r\n"
                + "Call-ID: " + UUID.randomUUID() + "\r\nCSeq: 1 " + method + "\r\nMax-Forwards: 70\r\n"
                + "Contact: <sip:" + user + "@" + local(s) + ">\r\n" + extra + "Content-Length: 0\r\n\r\n";
    }

    /** A REGISTER answered with a digest response computed from {@code password} for the nonce of a fresh 401. */
    String registerWith(DatagramSocket s, String user, String password) throws Exception {
        String challenge = exchange(s, request(s, "REGISTER", user, ""));
        if (challenge == null) {
            return null;
        }
        assertThat(challenge).startsWith("SIP/2.0 401");
        Matcher realm = Pattern.compile("realm=\"([^\"]+)\"").matcher(challenge);
        Matcher nonce = Pattern.compile("nonce=\"([^\"]+)\"").matcher(challenge);
        assertThat(realm.find() && nonce.find()).isTrue();
        String uri = "sip:" + user + "@127.0.0.1:" + sipPort;
        // RFC 2617 §3.2.2.1 with qop=auth
        String ha1 = md5(user + ":" + realm.group(1) + ":" + password);
        String ha2 = md5("REGISTER:" + uri);
        String response = md5(ha1 + ":" + nonce.group(1) + ":00000001:c0ffee:auth:" + ha2);
        String auth = "Authorization: Digest username=\"" + user + "\",realm=\"" + realm.group(1) + "\",nonce=\""
                + nonce.group(1) + "\",uri=\"" + uri + "\",response=\"" + response
                + "\",algorithm=MD5,qop=auth,nc=00000001,cnonce=\"c0ffee\"\r\n";
        return exchange(s, request(s, "REGISTER", user, auth));
    }

    static String md5(String s) throws Exception {
        byte[] d = java.security.MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
        StringBuilder b = new StringBuilder();
        for (byte x : d) b.append(String.format("%02x", x));
        return b.toString();
    }

    JsonNode ban(String key) {
        for (JsonNode b : operator.get("/api/v1/sip-bans").json()) if (b.get("key").asText().equals(key)) return b;
        return null;
    }

    @Test
    void anOptionsSweepIsBannedWithinTenRequestsAndTheOperatorSeesAndLiftsTheBan() throws Exception {
        try (DatagramSocket s = socket("127.0.0.3")) {
            int answered = 0;
            for (int i = 0; i < 20; i++) {
                String r = exchange(s, request(s, "OPTIONS", Integer.toString(100 + i), ""));
                if (r == null) break;
                assertThat(r).startsWith("SIP/2.0 200").doesNotContain("Server:").doesNotContain("User-Agent:");
                answered++;
            }
            assertThat(answered).as("OPTIONS answered before the ban").isLessThanOrEqualTo(10);
            JsonNode b = ban("127.0.0.3");
            assertThat(b).isNotNull();
            assertThat(b.get("kind").asText()).isEqualTo("address");
            assertThat(b.get("id").asText()).isEqualTo("address/127.0.0.3");
            assertThat(b.get("reason").asText()).contains("OPTIONS to 11 users");

            ApiClient admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
            assertThat(admin.get("/api/v1/sip-bans").status()).as("bans are the operator's").isEqualTo(403);
            assertThat(operator.delete("/api/v1/sip-bans/nothing/127.0.0.3").status()).isEqualTo(400);
            assertThat(operator.delete("/api/v1/sip-bans/address/127.0.0.3").status()).isEqualTo(204);
            assertThat(operator.delete("/api/v1/sip-bans/address/127.0.0.3").status()).isEqualTo(404);
            assertThat(exchange(s, request(s, "OPTIONS", "100", ""))).startsWith("SIP/2.0 200");
        }
    }

    /** REGISTERs naming a user that does not exist, even one user again and again. */
    @Test
    void requestsToUnknownUsersAreBannedWithinTenAndAnsweredAsForExistingOnesUntilThen() throws Exception {
        try (DatagramSocket s = socket("127.0.0.17")) {
            s.setSoTimeout(4000); // the first INVITE of a fresh server can take a while on a loaded machine
            List<String> existing = new ArrayList<>();
            for (String method : List.of("REGISTER")) existing.add(shape(exchange(s, request(s, method, "1002", ""))));
            int answered = 0;
            for (int i = 0; i < 20; i++) {
                String r = exchange(s, request(s, "REGISTER", "1777", ""));
                if (r == null) break;
                assertThat(shape(r)).as("answered as for an existing extension").isEqualTo(existing.get(0));
                answered++;
            }
            assertThat(answered).as("requests to a missing user answered before the ban").isLessThanOrEqualTo(10);
            assertThat(ban("127.0.0.17").get("reason").asText()).contains("requests to unknown users");
        }
    }

    /** Bans are kept in the database: a restart keeps those in force and drops those that ran out meanwhile. */
    @Test
    void bansSurviveARestartAndStillRunOut() throws Exception {
        for (String a : List.of("127.0.0.18", "127.0.0.19")) {
            try (DatagramSocket s = socket(a)) {
                assertThat(exchange(s, request(s, "OPTIONS", "100", "User-Agent: sipvicious\r\n"))).isNull();
            }
        }
        org.jdbi.v3.core.Jdbi db = server.database();
        await("the bans written").atMost(Duration.ofSeconds(10)).until(() -> db.withHandle(h -> h.createQuery(
                "SELECT COUNT(*) FROM sip_ban WHERE ban_key IN ('127.0.0.18', '127.0.0.19')").mapTo(Long.class).one()) == 2);
        db.useHandle(h -> h.createUpdate("UPDATE sip_ban SET expires_at = :past WHERE ban_key = '127.0.0.19'")
                .bind("past", java.time.OffsetDateTime.now().minusMinutes(1)).execute());
        server.close();
        server = TestServer.start(TestDatabases.Kind.H2, settings);
        sipPort = server.hotline().engine().sipPort();
        operator = ApiClient.loggedIn(server.baseUrl(), "system", "operator", PW);
        assertThat(ban("127.0.0.18")).as("still banned after the restart").isNotNull();
        assertThat(ban("127.0.0.18").get("reason").asText()).contains("sipvicious");
        assertThat(ban("127.0.0.19")).as("ran out while the server was down").isNull();
        try (DatagramSocket s = socket("127.0.0.18")) {
            assertThat(exchange(s, request(s, "OPTIONS", "1001", ""))).as("banned: no answer").isNull();
        }
        try (DatagramSocket s = socket("127.0.0.19")) {
            assertThat(exchange(s, request(s, "OPTIONS", "1001", ""))).startsWith("SIP/2.0 200");
        }
        assertThat(operator.delete("/api/v1/sip-bans/address/127.0.0.18").status()).isEqualTo(204);
        await("the lift written").atMost(Duration.ofSeconds(10)).until(() -> server.database().withHandle(h -> h.createQuery(
                "SELECT COUNT(*) FROM sip_ban WHERE ban_key = '127.0.0.18'").mapTo(Long.class).one()) == 0);
    }

    @Test
    void aScannersUserAgentIsBannedAtItsFirstRequest() throws Exception {
        try (DatagramSocket s = socket("127.0.0.4")) {
            assertThat(exchange(s, request(s, "OPTIONS", "100", "User-Agent: friendly-scanner\r\n"))).isNull();
            assertThat(exchange(s, request(s, "OPTIONS", "100", ""))).as("banned: no answer at all").isNull();
            assertThat(ban("127.0.0.4").get("reason").asText()).contains("friendly-scanner");
        }
    }

    @Test
    void existingAndMissingExtensionsAnswerAlikeAndFiftyWrongPasswordsAreBannedWithinTen() throws Exception {
        try (DatagramSocket s = socket("127.0.0.5")) {
            // enumeration: an extension that exists (1001) and one that does not (1999) get the same answers
            List<String> shapes = new ArrayList<>();
            for (String user : List.of("1001", "1999")) {
                String challenge = exchange(s, request(s, "REGISTER", user, ""));
                String invite = exchange(s, request(s, "INVITE", user, ""));
                shapes.add(shape(challenge) + " / " + shape(invite));
            }
            assertThat(shapes.get(0)).startsWith("401").isEqualTo(shapes.get(1));
            String wrongExisting = registerWith(s, "1001", "wrong");
            String wrongMissing = registerWith(s, "1999", "wrong");
            assertThat(shape(wrongExisting)).startsWith("403").isEqualTo(shape(wrongMissing));
        }
        try (DatagramSocket s = socket("127.0.0.6")) {
            int tries = 0;
            for (int i = 0; i < 50; i++) {
                String r = registerWith(s, "1001", "guess" + i);
                if (r == null) break;
                assertThat(r).startsWith("SIP/2.0 403");
                tries++;
            }
            assertThat(tries).as("wrong passwords answered before the ban").isLessThanOrEqualTo(10);
            assertThat(ban("127.0.0.6").get("reason").asText()).contains("failed authentications");
        }
    }

    @Test
    void guessingOneAccountFromSeveralAddressesLocksTheAccountEvenForTheRightPassword() throws Exception {
        // 4 + 4 + 2 failures: under the per-address limit (5) each, 10 on the account
        int[] perAddress = {4, 4, 2};
        for (int a = 0; a < perAddress.length; a++) {
            try (DatagramSocket s = socket("127.0.0." + (7 + a))) {
                for (int i = 0; i < perAddress[a]; i++) assertThat(registerWith(s, "1002", "guess")).startsWith("SIP/2.0 403");
            }
        }
        JsonNode lock = null;
        for (JsonNode b : operator.get("/api/v1/sip-bans").json()) if (b.get("key").asText().startsWith("1002@")) lock = b;
        assertThat(lock).as(operator.get("/api/v1/sip-bans").body()).isNotNull();
        assertThat(lock.get("kind").asText()).isEqualTo("account");
        for (int a = 7; a <= 9; a++) assertThat(ban("127.0.0." + a)).as("no address banned").isNull();
        try (DatagramSocket s = socket("127.0.0.10")) {
            assertThat(registerWith(s, "1002", PW)).as("locked: refused like a wrong password").startsWith("SIP/2.0 403");
            assertThat(registerWith(s, "1003", PW)).as("another account is not locked").startsWith("SIP/2.0 200");
        }
    }

    /** Status code and the sorted header names of an answer, what a scanner could tell apart. */
    static String shape(String response) {
        assertThat(response).isNotNull();
        String[] lines = response.split("\r\n");
        List<String> names = new ArrayList<>();
        for (int i = 1; i < lines.length && !lines[i].isEmpty(); i++) names.add(lines[i].substring(0, lines[i].indexOf(':')));
        names.sort(String::compareTo);
        return lines[0].substring(8) + " " + names;
    }
}
