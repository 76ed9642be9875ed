package dev.hotline.ice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** MEDIA-6: the ICE servers handed to browsers; the TURN REST API credential (checked for real by coturn in DeskBrowserTest). */
class IceServersTest {
    static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L - 3600), ZoneOffset.UTC);

    @Test
    void restApiCredentialsAreTimeLimitedAndSignedWithTheSharedSecret() {
        IceServers s = new IceServers(List.of("stun:stun.example.net", "turn:turn.example.net:3478?transport=udp", "turns:turn.example.net:5349"),
                "", "", "north", Duration.ofHours(1), CLOCK);
        IceServers.Settings got = s.forBrowser("agent-7");
        assertThat(got.expiresAt()).isEqualTo(Instant.ofEpochSecond(1_700_000_000L));
        assertThat(got.iceServers()).containsExactly(
                new IceServers.IceServer(List.of("stun:stun.example.net"), null, null),
                // printf '%s' "1700000000:agent-7" | openssl dgst -sha1 -hmac north -binary | base64
                new IceServers.IceServer(List.of("turn:turn.example.net:3478?transport=udp", "turns:turn.example.net:5349"),
                        "1700000000:agent-7", "mo67NSaIxhzqgoxpnuhXuVj5P2c="));
        assertThat(s.forBrowser("widget:x").iceServers().get(1).username()).as("no second colon in the user name").endsWith(":widget-x");
    }

    @Test
    void staticCredentialsAndNone() {
        IceServers s = new IceServers(List.of("turn:10.0.0.1"), "hotline", "pw", "", Duration.ofHours(12), CLOCK);
        assertThat(s.forBrowser("agent-1")).isEqualTo(new IceServers.Settings(
                List.of(new IceServers.IceServer(List.of("turn:10.0.0.1"), "hotline", "pw")), null));
        IceServers none = IceServers.none(CLOCK);
        assertThat(none.configured()).isFalse();
        assertThat(none.forBrowser("agent-1").iceServers()).isEmpty();
    }

    @Test
    void badSettingsAreRefusedAtStartWithTheirName() {
        Duration h = Duration.ofHours(1);
        assertThatThrownBy(() -> new IceServers(List.of("http://turn"), "", "", "s", h, CLOCK)).hasMessageContaining("turn.urls");
        assertThatThrownBy(() -> new IceServers(List.of("turn:t"), "", "", "", h, CLOCK)).hasMessageContaining("turn.secret");
        assertThatThrownBy(() -> new IceServers(List.of("turn:t"), "u", "p", "s", h, CLOCK)).hasMessageContaining("one or the other");
        assertThatThrownBy(() -> new IceServers(List.of("turn:t"), "u", "", "", h, CLOCK)).hasMessageContaining("go together");
        assertThatThrownBy(() -> new IceServers(List.of("turn:t"), "", "", "s", Duration.ZERO, CLOCK)).hasMessageContaining("turn.ttl.seconds");
    }
}
