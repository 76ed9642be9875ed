package dev.hotline.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.domain.JsonMapper;
import dev.hotline.report.CallLogEvent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The body every webhook delivery and stream message carries, written straight from the event. */
class WebhookBodyTest {
    @Test
    void theBodyCarriesTheEventWithoutTheRecordingsPathOnDiskNorTheEnterpriseInItsData() throws Exception {
        Instant at = Instant.parse("2026-12-06T10:15:30.123456Z");
        var e = new CallLogEvent.Recorded(42, "ch-1", at, "ch-2", Path.of("/var/lib/hotline/rec/secret.wav"), "pcm", true,
                at.minusSeconds(60), 60_000);
        String text = Webhooks.body(e, Webhooks.typeOf(e));
        assertThat(text).doesNotContain("secret.wav").doesNotContain("/var/lib");
        JsonNode b = JsonMapper.MAPPER.readTree(text);
        assertThat(UUID.fromString(b.get("id").asText()).version()).isEqualTo(4);
        assertThat(b.get("type").asText()).isEqualTo("call.recorded");
        assertThat(b.get("at").asText()).isEqualTo("2026-12-06T10:15:30.123456Z");
        assertThat(b.get("enterpriseId").asLong()).isEqualTo(42);
        JsonNode data = b.get("data");
        assertThat(data.has("path")).isFalse();
        assertThat(data.has("enterpriseId")).isFalse();
        assertThat(data.get("callId").asText()).isEqualTo("ch-1");
        assertThat(data.get("durationMs").asLong()).isEqualTo(60_000);
        assertThat(data.get("at").asText()).isEqualTo("2026-12-06T10:15:30.123456Z");
        assertThat(Webhooks.body(e, "call.recorded")).as("a new id per body").isNotEqualTo(text);
    }

    /** An event of {@code type} with default values (nulls, zeros), enough to ask its type. */
    static Object instance(Class<?> type, boolean flag) throws Exception {
        var components = type.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            Class<?> t = components[i].getType();
            types[i] = t;
            Object v = null;
            if (t == boolean.class) v = flag;
            else if (t == int.class) v = 0;
            else if (t == long.class) v = 0L;
            else if (t == double.class) v = 0.0;
            args[i] = v;
        }
        return type.getDeclaredConstructor(types).newInstance(args);
    }

    @Test
    void everyEventTypeIsOneSubscriptionsAndTheStreamMayNameAndUnknownOnesAreRefused() throws Exception {
        // Every call event there is (and both sides of a flag: hold / unhold) has a listed type: a new one cannot be forgotten.
        var all = Webhooks.TYPES.values().stream().flatMap(java.util.List::stream).toList();
        for (Class<?> c : CallLogEvent.class.getPermittedSubclasses()) {
            for (boolean flag : new boolean[] {true, false}) {
                if (c == CallLogEvent.Closed.class) continue; // its data needs the record; its type is call.closed
                String type = Webhooks.typeOf((dev.hotline.report.LogEvent) instance(c, flag));
                assertThat(all).as(c.getSimpleName()).contains(type);
                assertThat(Webhooks.knownPattern(type)).isTrue();
            }
        }
        assertThat(all).contains("call.closed", "agent.state", "ticket.created", "ticket.assigned", "ticket.status", "ticket.commented",
                "ticket.closed", "campaign.started", "campaign.paused", "campaign.finished", "campaign.attempt", "campaign.outcome");
        assertThat(all).doesNotHaveDuplicates();
        var outcome = new CallLogEvent.CampaignOutcome(1, "c", Instant.EPOCH, null, 3, 4, "13800000000", "busy", null);
        assertThat(Webhooks.typeOf(outcome)).isEqualTo("campaign.outcome");
        var ticket = new dev.hotline.report.TicketLogEvent(1, Instant.EPOCH, "closed", 5, "T1", "complaint", "t", "closed", "resolved", null,
                null, 2L, null, "13800000000", null, null, null);
        assertThat(Webhooks.typeOf(ticket)).isEqualTo("ticket.closed");
        JsonNode data = JsonMapper.MAPPER.readTree(Webhooks.body(ticket, "ticket.closed")).get("data");
        assertThat(data.get("ticketId").asLong()).isEqualTo(5);
        assertThat(data.get("previousStatus").asText()).isEqualTo("resolved");
        assertThat(data.has("enterpriseId")).isFalse();

        for (String ok : java.util.List.of("*", "call.*", "ticket.*", "campaign.*", "queue.join", "ticket.commented")) {
            assertThat(Webhooks.knownPattern(ok)).as(ok).isTrue();
        }
        for (String bad : java.util.List.of("", "ticket", "tickets.*", "ticket.opened", "call.nothing", ".*", "call.**")) {
            assertThat(Webhooks.knownPattern(bad)).as(bad).isFalse();
        }
        assertThat(Webhooks.matches(java.util.List.of("ticket.*"), "ticket.closed")).isTrue();
        assertThat(Webhooks.matches(java.util.List.of("ticket.*"), "call.closed")).isFalse();
    }
}
