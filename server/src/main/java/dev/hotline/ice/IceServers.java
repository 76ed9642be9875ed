package dev.hotline.ice;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * MEDIA-6: the STUN/TURN servers the browsers (the agents' browser phone, the widget's visitors) put in their
 * {@code RTCPeerConnection}'s {@code iceServers}, so that a browser that cannot reach Hotline's media port directly (at
 * home, behind NAT or a firewall that only lets it out to the TURN server) relays its media through TURN. Hotline's
 * engine is ICE-lite: it answers the checks at their source, which is then the TURN relay address, and sends its media
 * there.
 *
 * <p>Credentials: either a static user name and password (coturn {@code lt-cred-mech} with a {@code user=}), or the
 * shared secret of the TURN REST API (draft-uberti-behave-turn-rest; coturn {@code use-auth-secret} and
 * {@code static-auth-secret}): each browser gets a time-limited user name {@code <expiry unix time>:<who>} and the
 * password {@code base64(HMAC-SHA1(secret, user name))}, which the TURN server checks without knowing the browser.
 */
public final class IceServers {
    /** One entry of {@code RTCConfiguration.iceServers} (the field names the browser expects). */
    public record IceServer(List<String> urls, String username, String credential) {}

    /** What a browser asks for: its ice servers and until when their credentials hold (null: no expiry). */
    public record Settings(List<IceServer> iceServers, Instant expiresAt) {}

    private final List<String> stunUrls;
    private final List<String> turnUrls;
    private final String username;
    private final String password;
    private final String secret;
    private final Duration ttl;
    private final Clock clock;

    /**
     * @param urls {@code stun:}, {@code turn:} and {@code turns:} URLs (RFC 7064, RFC 7065); empty: none (the browser
     *             reaches the media port directly, as on a LAN)
     * @param username with {@code password}: static TURN credentials
     * @param secret the TURN REST API shared secret (instead of a static user)
     * @param ttl how long a REST API credential holds
     */
    public IceServers(List<String> urls, String username, String password, String secret, Duration ttl, Clock clock) {
        this.stunUrls = new ArrayList<>();
        this.turnUrls = new ArrayList<>();
        for (String u : urls) {
            String lower = u.toLowerCase(Locale.ROOT);
            if (lower.startsWith("stun:") || lower.startsWith("stuns:")) {
                stunUrls.add(u);
            } else if (lower.startsWith("turn:") || lower.startsWith("turns:")) {
                turnUrls.add(u);
            } else {
                throw new IllegalArgumentException("turn.urls: not a stun:, turn: or turns: URL: " + u);
            }
        }
        boolean hasStatic = !username.isBlank() || !password.isBlank();
        boolean hasSecret = !secret.isBlank();
        if (hasStatic && hasSecret) {
            throw new IllegalArgumentException("turn.secret and turn.username/turn.password: set one or the other");
        }
        if (hasStatic && (username.isBlank() || password.isBlank())) {
            throw new IllegalArgumentException("turn.username and turn.password go together");
        }
        if (!turnUrls.isEmpty() && !hasStatic && !hasSecret) {
            throw new IllegalArgumentException("turn.urls has TURN servers: set turn.secret, or turn.username and turn.password");
        }
        if (ttl.isNegative() || ttl.isZero()) throw new IllegalArgumentException("turn.ttl.seconds must be positive");
        this.username = username;
        this.password = password;
        this.secret = secret;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** No STUN or TURN server: browsers use their host candidates only. */
    public static IceServers none(Clock clock) {
        return new IceServers(List.of(), "", "", "", Duration.ofHours(12), clock);
    }

    public boolean configured() {
        return !stunUrls.isEmpty() || !turnUrls.isEmpty();
    }

    /**
     * The servers for one browser, with fresh credentials. {@code who} names it in the REST API user name (the TURN
     * server's logs show it): {@code agent-<user id>} or {@code widget-<visitor>}.
     */
    public Settings forBrowser(String who) {
        List<IceServer> out = new ArrayList<>(2);
        if (!stunUrls.isEmpty()) out.add(new IceServer(List.copyOf(stunUrls), null, null));
        if (turnUrls.isEmpty()) return new Settings(out, null);
        if (secret.isBlank()) {
            out.add(new IceServer(List.copyOf(turnUrls), username, password));
            return new Settings(out, null);
        }
        Instant expires = clock.instant().plus(ttl);
        String user = expires.getEpochSecond() + ":" + who.replace(':', '-');
        out.add(new IceServer(List.copyOf(turnUrls), user, restPassword(secret, user)));
        return new Settings(out, expires);
    }

    /** The TURN REST API password of {@code user}: base64(HMAC-SHA1(secret, user)), as coturn's use-auth-secret checks it. */
    static String restPassword(String secret, String user) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(user.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 unavailable", e);
        }
    }
}
