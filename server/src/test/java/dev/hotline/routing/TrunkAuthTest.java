package dev.hotline.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.ChannelState;
import dev.hotline.engine.call.DialRequest;
import dev.hotline.engine.call.Target;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * PBX-2 through the server: a trunk whose carrier challenges outbound INVITEs (401 or 407) with the trunk's username
 * and secret; wrong credentials fail the call once, recorded; the enterprise-wide channel limit refuses calls over it
 * (503, recorded) in both directions; two legs taking a trunk's last channel at the same instant: one gets it.
 */
class TrunkAuthTest extends ServerCallTest {
    @Override
    String defaultCaller() {
        return "1003";
    }

    static String md5(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    /** SIPp as the carrier on {@code port}: challenges with {@code code}, expects acct77/{@code password}'s digest for {@code number}. */
    Sipp.Run carrier(int port, String code, String password, String number) throws Exception {
        String nonce = "n" + port + "e131a5fb";
        String uri = "sip:" + number + "@127.0.0.1:" + port + ";maddr=127.0.0.1";
        String expect = md5(md5("acct77:carrier.example:" + password) + ":" + nonce + ":" + md5("INVITE:" + uri));
        return uas("uas_auth_answer", port, vars("CODE", code, "CHALLENGE", code.equals("401") ? "WWW-Authenticate" : "Proxy-Authenticate",
                "AUTHORIZATION", code.equals("401") ? "Authorization" : "Proxy-Authorization", "NONCE", nonce, "EXPECT", expect));
    }

    long trunk(String name, int port, int maxChannels, String secret) {
        var r = admin.post("/api/v1/trunks", Map.of("name", name, "host", "127.0.0.1", "port", port, "username", "acct77",
                "secret", secret, "maxChannels", maxChannels, "allowedIps", List.of()));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("id").asLong();
    }

    void route(String name, String prefix, long trunkId) {
        var r = admin.post("/api/v1/outbound-routes", Map.of("name", name, "prefix", prefix, "stripDigits", 1, "trunkId", trunkId, "priority", 1));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
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

    @Test
    void challengedInvitesAreAnsweredWithTheTrunksCredentialsAndWrongOnesFailOnce() throws Exception {
        register("1003", PW, Ports.free(), "200");
        int p407 = Ports.free();
        int p401 = Ports.free();
        int pBad = Ports.free();
        route("auth407", "71", trunk("carrier407", p407, 0, "s3cret"));
        route("auth401", "72", trunk("carrier401", p401, 0, "s3cret"));
        route("authbad", "73", trunk("carrierbad", pBad, 0, "not-the-secret"));

        // 407 Proxy-Authenticate, then 401 WWW-Authenticate: the call connects; the carrier checked CSeq 2 INVITE, ACK 2, BYE 3.
        Sipp.Run far = carrier(p407, "407", "s3cret", "13800000407");
        ok(uac("uac_call", "713800000407", vars("PAUSE", "500"), "-au", "1003", "-ap", PW));
        ok(far);
        assertThat(record("1003", "713800000407").get("outcome").asText()).isEqualTo("answered");
        far = carrier(p401, "401", "s3cret", "23800000401");
        ok(uac("uac_call", "723800000401", vars("PAUSE", "500"), "-au", "1003", "-ap", PW));
        ok(far);
        assertThat(record("1003", "723800000401").get("outcome").asText()).isEqualTo("answered");
        assertThat(far.messages()).contains("Authorization: Digest username=\"acct77\"");

        // Wrong secret: challenged again, the call fails (403 to the phone, not the carrier's challenge), no third INVITE.
        far = carrier(pBad, "407", "s3cret", "33800000999");
        ok(uac("uac_fail_auth", "733800000999", vars("CODE", "403"), "-au", "1003", "-ap", PW));
        ok(far);
        assertThat(far.messages().split("INVITE sip:", -1)).hasSize(3);
        JsonNode bad = record("1003", "733800000999");
        assertThat(bad.get("outcome").asText()).isNotEqualTo("answered");
        assertThat(bad.get("sipStatus").asInt()).isEqualTo(407);
        assertThat(events(bad)).contains("forbidden");
    }

    @Test
    void theEnterpriseLimitRefusesCallsOverItBothWaysAndTheLastChannelGoesToOneLegOnly() throws Exception {
        register("1003", PW, Ports.free(), "200");
        int pA = Ports.free();
        int pB = Ports.free();
        long ta = trunk("limitA", pA, 0, "s3cret");
        long tb = trunk("limitB", pB, 1, "s3cret");
        route("limitA", "61", ta);
        route("limitB", "62", tb);
        assertThat(admin.post("/api/v1/numbers", Map.of("number", "4697", "trunkId", tb, "destinationType", "extension",
                "destination", "1003")).status()).isEqualTo(201);
        assertThat(admin.put("/api/v1/trunk-settings", Map.of("maxChannels", -1)).status()).isEqualTo(400);
        assertThat(admin.put("/api/v1/trunk-settings", Map.of("maxChannels", 1)).status()).isEqualTo(200);
        assertThat(admin.get("/api/v1/trunk-settings").json().get("maxChannels").asInt()).isEqualTo(1);
        try {
            // A holds the enterprise's only channel (on trunk limitA, itself unlimited).
            Sipp.Run far = uas("uas_answer", pA, vars());
            Sipp.Run a = uac("uac_call", "6113800000001", vars("PAUSE", "8000"), "-au", "1003", "-ap", PW);
            await("A up").atMost(Duration.ofSeconds(10)).until(() -> server.hotline().engine().channels().stream()
                    .anyMatch(c -> c.state() == ChannelState.UP && c.target().orElse(null) instanceof Target.Uri u && u.port() == pA));
            // B out over the other trunk: 503, recorded with why.
            ok(uac("uac_fail_auth", "6213800000002", vars("CODE", "503"), "-au", "1003", "-ap", PW));
            JsonNode b = record("1003", "6213800000002");
            assertThat(b.get("sipStatus").asInt()).isEqualTo(503);
            assertThat(events(b)).contains("trunk channels in use");
            // C in over the other trunk: 503, recorded.
            ok(uac("uac_fail", "4697", vars("FROM", "13900000007", "CODE", "503")));
            JsonNode c = record("13900000007", "4697");
            assertThat(c.get("sipStatus").asInt()).isEqualTo(503);
            assertThat(events(c)).contains("the enterprise has all its 1 trunk channels in use");
            ok(a);
            ok(far);
        } finally {
            assertThat(admin.put("/api/v1/trunk-settings", Map.of("maxChannels", 0)).status()).isEqualTo(200);
        }

        // Two legs dialled at the same instant for limitB's one channel (both past any check made before dialling):
        // the engine asks routing for each just before its INVITE; one takes the channel, the other ends 503.
        Sipp.Run far = uas("uas_answer", pB, vars());
        var account = new Target.TrunkAccount(RoutingSnapshot.registrationKey(tb), "acct77", "s3cret");
        var engine = server.hotline().engine();
        Channel one = engine.originate(DialRequest.to(new Target.Uri("13800000011", "127.0.0.1", pB, "udp", account)));
        Channel two = engine.originate(DialRequest.to(new Target.Uri("13800000012", "127.0.0.1", pB, "udp", account)));
        await("one leg refused").atMost(Duration.ofSeconds(10)).until(() -> one.state().isFinal() != two.state().isFinal());
        Channel lost = one.state().isFinal() ? one : two;
        Channel won = lost == one ? two : one;
        await("the other up").atMost(Duration.ofSeconds(10)).until(() -> won.state() == ChannelState.UP);
        assertThat(lost.state()).isEqualTo(ChannelState.TERMINATED);
        won.hangup(dev.hotline.engine.call.HangupCause.NORMAL_CLEARING);
        ok(far);
    }
}
