package dev.hotline.monitor;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.hotline.domain.DomainException;
import dev.hotline.domain.JsonMapper;
import dev.hotline.domain.Validator;
import dev.hotline.store.EnterpriseSettings;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jdbi.v3.core.Handle;

/**
 * SUP-3: the thresholds that turn a queue's figures amber or red on the monitor and the wallboard (the enterprise's
 * defaults, and per queue by name), and the wallboard's signed read-only link. A link is the enterprise id with an
 * HMAC-SHA256 of it under a secret kept per enterprise; a new secret revokes every link given before.
 */
public record WallboardSettings(Thresholds defaults, Map<String, Thresholds> queues) {
    static final String RULES = "monitor.wallboard";
    static final String SECRET = "monitor.wallboardSecret";

    /**
     * Amber at or above the first value, red at or above the second (service level: below them, 0 for never). {@code stateMinutes}: an
     * agent not ready, in wrap-up or on one call longer than this many minutes raises an alert.
     */
    public record Thresholds(int waitingAmber, int waitingRed, int longestWaitAmber, int longestWaitRed, double serviceLevelAmber,
                             double serviceLevelRed, int stateMinutes) {
        static final Thresholds DEFAULT = new Thresholds(3, 6, 60, 120, 0.8, 0.6, 15);

        void validate(String prefix, Validator v) {
            v.check(waitingAmber >= 1 && waitingAmber <= waitingRed && waitingRed <= 1000, prefix + "waitingRed", "1 ≤ amber ≤ red ≤ 1000")
                    .check(longestWaitAmber >= 1 && longestWaitAmber <= longestWaitRed && longestWaitRed <= 86400, prefix + "longestWaitRed",
                            "1 ≤ amber ≤ red ≤ 86400 seconds")
                    .check(serviceLevelRed >= 0 && serviceLevelRed <= serviceLevelAmber && serviceLevelAmber <= 1, prefix + "serviceLevelRed",
                            "0 ≤ red ≤ amber ≤ 1")
                    .check(stateMinutes >= 1 && stateMinutes <= 1440, prefix + "stateMinutes", "1..1440");
        }
    }

    public static final WallboardSettings DEFAULT = new WallboardSettings(Thresholds.DEFAULT, Map.of());

    /** The thresholds of queue {@code name}. */
    public Thresholds of(String name) {
        return queues.getOrDefault(name, defaults);
    }

    public static WallboardSettings load(Handle h, long enterpriseId) {
        return EnterpriseSettings.get(h, enterpriseId, RULES).map(j -> {
            try {
                return JsonMapper.MAPPER.readValue(j, WallboardSettings.class);
            } catch (JsonProcessingException e) {
                return DEFAULT;
            }
        }).orElse(DEFAULT);
    }

    public static WallboardSettings validate(WallboardSettings in) {
        if (in == null || in.defaults() == null) throw DomainException.badRequest("a JSON body with defaults is required");
        Validator v = Validator.of();
        in.defaults().validate("defaults.", v);
        Map<String, Thresholds> qs = in.queues() == null ? Map.of() : in.queues();
        qs.forEach((name, t) -> {
            if (t == null) v.check(false, "queues." + name, "thresholds required");
            else t.validate("queues." + name + ".", v);
        });
        v.throwIfInvalid();
        WallboardSettings out = new WallboardSettings(in.defaults(), Map.copyOf(qs));
        try {
            if (JsonMapper.MAPPER.writeValueAsString(out).length() > 2000) throw DomainException.invalid("queues", "too many queues with thresholds of their own");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    public void save(Handle h, long enterpriseId) {
        try {
            EnterpriseSettings.put(h, enterpriseId, RULES, JsonMapper.MAPPER.writeValueAsString(this));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- the signed link

    /** A token for the enterprise's wallboard (made with its secret, created on first use). */
    public static String token(Handle h, long enterpriseId) {
        String secret = EnterpriseSettings.get(h, enterpriseId, SECRET).orElseGet(() -> rotate(h, enterpriseId));
        return enterpriseId + "." + sign(secret, enterpriseId);
    }

    /** A new secret: every link given before stops working. */
    public static String rotate(Handle h, long enterpriseId) {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        String secret = Base64.getEncoder().encodeToString(b);
        EnterpriseSettings.put(h, enterpriseId, SECRET, secret);
        return secret;
    }

    /** The enterprise whose wallboard {@code token} opens, if it is a valid token. */
    public static Optional<Long> enterpriseOf(Handle h, String token) {
        if (token == null) return Optional.empty();
        int dot = token.indexOf('.');
        if (dot < 1) return Optional.empty();
        long id;
        try {
            id = Long.parseLong(token.substring(0, dot));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        Optional<String> secret = EnterpriseSettings.get(h, id, SECRET);
        if (secret.isEmpty()) return Optional.empty();
        byte[] given = token.substring(dot + 1).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] expected = sign(secret.get(), id).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(given, expected) ? Optional.of(id) : Optional.empty();
    }

    private static String sign(String secret, long enterpriseId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(("wallboard:" + enterpriseId).getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
