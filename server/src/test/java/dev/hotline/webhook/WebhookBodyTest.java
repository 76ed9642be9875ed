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
}
