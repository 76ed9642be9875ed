package dev.hotline.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * SEC-1 toll-fraud limits on calls out through a trunk, dialled from a registered SIPp extension: international off by
 * default, allowed prefixes, calls per hour counted as they are dialled, billed minutes and spend read back from the
 * call charges; each refusal is 403 naming the limit, in the call's record, an alert on the supervisors' monitor and,
 * once per kind, in the operation log.
 */
class TollLimitsTest extends ServerCallTest {
    @Override
    String defaultCaller() {
        return "1003";
    }

    JsonNode record(String callee) {
        return await("call record to " + callee).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    for (JsonNode r : admin.get("/api/v1/calls?limit=500").json().get("items")) {
                        if (r.get("caller").asText().equals("1003") && r.get("callee").asText().equals(callee)) return Optional.of(r);
                    }
                    return Optional.<JsonNode>empty();
                }, Optional::isPresent).get();
    }

    String events(String callee) {
        return admin.get("/api/v1/calls/" + record(callee).get("callId").asText() + "/events").body();
    }

    void refused(String dialled, String why) throws Exception {
        ok(uac("uac_fail_auth", dialled, vars("CODE", "403"), "-au", "1003", "-ap", PW));
        assertThat(record(dialled).get("sipStatus").asInt()).isEqualTo(403);
        assertThat(events(dialled)).contains(why);
    }

    void answered(int carrier, String dialled) throws Exception {
        Sipp.Run far = uas("uas_answer", carrier, vars());
        ok(uac("uac_call", dialled, vars("PAUSE", "200"), "-au", "1003", "-ap", PW));
        ok(far);
        assertThat(record(dialled).get("outcome").asText()).isEqualTo("answered");
    }

    void policy(Map<String, Object> p) {
        Map<String, Object> body = new HashMap<>(Map.of("countryCode", "86", "international", false));
        body.putAll(p);
        var r = admin.put("/api/v1/toll-policy", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    JsonNode usage() {
        return admin.get("/api/v1/toll-policy/usage").json();
    }

    @Test
    void limitsRefuseCallsOutWith403NamingTheLimitAndAlertTheSupervisors() throws Exception {
        int carrier = Ports.free();
        long trunk = admin.post("/api/v1/trunks", Map.of("name", "toll-carrier", "host", "127.0.0.1", "port", carrier)).json().get("id").asLong();
        assertThat(admin.post("/api/v1/outbound-routes", Map.of("name", "toll-out", "prefix", "9", "stripDigits", 1, "trunkId", trunk,
                "priority", 1)).status()).isEqualTo(201);
        register("1003", PW, Ports.free(), "200");

        // Defaults: international off, nothing else limited.
        JsonNode defaults = admin.get("/api/v1/toll-policy").json();
        assertThat(defaults.get("international").asBoolean()).isFalse();
        assertThat(defaults.get("countryCode").asText()).isEqualTo("86");
        refused("90044123456", "international calls are not allowed");
        refused("9+14155550100", "international calls are not allowed");
        answered(carrier, "90086138000000001"); // the enterprise's own country is not abroad

        // Allowed prefixes and calls per hour (counted as dialled: the one above is the first).
        policy(Map.of("allowedPrefixes", List.of("138", "0086"), "maxCallsPerHour", 3));
        refused("91500000001", "the number's prefix is not allowed");
        answered(carrier, "913800000002");
        answered(carrier, "913800000003");
        refused("913800000004", "calls per hour reached (3 of 3)");
        assertThat(usage().get("callsLastHour").asInt()).isEqualTo(3);

        // Spend per day: the next answered call is rated 5.00 + 1.00 a minute; once read back, calls stop.
        Map<String, Object> rate = new LinkedHashMap<>();
        rate.put("prefix", "138");
        rate.put("pricePerMinute", new BigDecimal("1.00"));
        rate.put("firstIncrement", 60);
        rate.put("increment", 60);
        rate.put("connectionFee", new BigDecimal("5.00"));
        assertThat(admin.post("/api/v1/billing/rate-tables", Map.of("trunkId", trunk, "currency", "CNY", "rates", List.of(rate))).status())
                .isEqualTo(201);
        policy(Map.of("maxSpendPerDay", new BigDecimal("6.00")));
        answered(carrier, "913800000005");
        await("the charge read back").atMost(Duration.ofSeconds(20)).until(() -> usage().get("spendLastDay").decimalValue().compareTo(new BigDecimal("6")) >= 0);
        refused("913800000006", "spend per day reached (6.0000 of 6.00)");

        // Billed minutes per hour: the rated call's minute counts.
        policy(Map.of("maxMinutesPerHour", 1));
        assertThat(usage().get("minutesLastHour").asLong()).isGreaterThanOrEqualTo(1);
        refused("913800000007", "minutes per hour reached");

        // International allowed again: the call goes out.
        policy(Map.of("international", true));
        answered(carrier, "90044123458");

        // Each refusal is an alert on the monitor (not on the wallboard) and in the usage; the operation log has each kind once.
        JsonNode alerts = admin.get("/api/v1/monitor").json().get("alerts");
        assertThat(alerts.findValuesAsText("kind")).contains("toll_limit");
        assertThat(alerts.findValuesAsText("subject")).contains("international", "prefix", "calls_per_hour", "spend_per_day", "minutes_per_hour");
        assertThat(usage().get("recentRefusals").findValuesAsText("limit"))
                .containsExactlyInAnyOrder("INTERNATIONAL", "PREFIX", "CALLS_PER_HOUR", "SPEND_PER_DAY", "MINUTES_PER_HOUR");
        List<String> logged = await("the operation log").atMost(Duration.ofSeconds(10))
                .until(() -> admin.get("/api/v1/audit?action=toll.blocked").json().findValuesAsText("detail"), l -> l.size() >= 5);
        assertThat(logged).hasSize(5).anyMatch(d -> d.startsWith("international")).anyMatch(d -> d.startsWith("spend_per_day"));
        assertThat(admin.get("/api/v1/audit?action=toll.policy").json().findValuesAsText("action")).hasSize(4);
    }

    @Test
    void badPoliciesGet400NamingTheField() {
        var r = admin.put("/api/v1/toll-policy", Map.of("countryCode", "+86", "allowedPrefixes", List.of("1a"), "maxCallsPerHour", -1,
                "maxSpendPerDay", new BigDecimal("1.23456")));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("countryCode", "allowedPrefixes[0]", "maxCallsPerHour", "maxSpendPerDay");
        assertThat(admin.put("/api/v1/toll-policy", Map.of("international", true)).body()).contains("countryCode");
        assertThat(admin.put("/api/v1/toll-policy", "{").status()).isEqualTo(400);
    }
}
