package dev.hotline.masking;

import dev.hotline.domain.DomainException;
import dev.hotline.domain.Validator;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * An enterprise's number masking policy (CRM-5, docs/masking.md).
 *
 * @param mode             how masked viewers see outside numbers: off, middle (138****0001) or name
 * @param roles            the role names that see numbers masked; empty: every role (holders of number.unmasked never do)
 * @param queues           queue name → the mode for that queue's calls, overriding {@code mode} (off included)
 * @param webhooksUnmasked whether webhook deliveries carry the real numbers (else masked like a masked role)
 */
public record MaskPolicy(MaskMode mode, List<String> roles, Map<String, MaskMode> queues, boolean webhooksUnmasked) {
    public static final MaskPolicy NONE = new MaskPolicy(MaskMode.OFF, List.of(), Map.of(), false);

    public MaskPolicy {
        roles = roles == null ? List.of() : List.copyOf(roles);
        queues = queues == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(queues));
    }

    /** Whether a viewer of {@code role} is masked at all (before their permission is asked). */
    boolean masksRole(String role) {
        return roles.isEmpty() || roles.contains(role);
    }

    /** The mode for a call of {@code queue} (null: the call has no queue). */
    MaskMode modeFor(String queue) {
        MaskMode q = queue == null ? null : queues.get(queue);
        return q != null ? q : mode;
    }

    /** Whether any call is masked for anyone. */
    boolean active() {
        return mode != MaskMode.OFF || queues.values().stream().anyMatch(m -> m != MaskMode.OFF);
    }

    /** The body of {@code PUT /masking}: names as written, checked by {@link #save}. */
    public record Input(String mode, List<String> roles, Map<String, String> queues, Boolean webhooksUnmasked) {}

    public static MaskPolicy load(Handle h, long enterpriseId) {
        Optional<MaskPolicy> row = h.createQuery("SELECT mode, roles, webhooks_unmasked FROM number_mask_policy WHERE enterprise_id = :e")
                .bind("e", enterpriseId)
                .map((rs, c) -> new MaskPolicy(MaskMode.parse(rs.getString(1)), roles(rs.getString(2)), null, rs.getBoolean(3)))
                .findOne();
        Map<String, MaskMode> queues = new LinkedHashMap<>();
        h.createQuery("SELECT queue, mode FROM number_mask_queue WHERE enterprise_id = :e ORDER BY queue").bind("e", enterpriseId)
                .map((rs, c) -> Map.entry(rs.getString(1), MaskMode.parse(rs.getString(2)))).forEach(e -> queues.put(e.getKey(), e.getValue()));
        MaskPolicy p = row.orElse(NONE);
        return new MaskPolicy(p.mode(), p.roles(), queues, p.webhooksUnmasked());
    }

    /** Checks and stores {@code in} (400 naming mode, roles or queues.<queue>). */
    public static MaskPolicy save(Handle h, long enterpriseId, Input in) {
        if (in == null) throw DomainException.badRequest("a JSON body is required");
        Validator v = Validator.of();
        String modes = "one of " + String.join(", ", Arrays.stream(MaskMode.values()).map(MaskMode::key).toList());
        MaskMode mode = MaskMode.parse(in.mode());
        v.check(mode != null, "mode", modes);
        List<String> roles = in.roles() == null ? List.of() : in.roles();
        v.check(roles.size() <= 50, "roles", "at most 50 roles");
        for (String r : roles) {
            boolean exists = r != null && h.createQuery("SELECT COUNT(*) FROM app_role WHERE enterprise_id = :e AND name = :n")
                    .bind("e", enterpriseId).bind("n", r).mapTo(Long.class).one() > 0;
            v.check(exists, "roles", "no such role: " + r);
        }
        Map<String, MaskMode> queues = new LinkedHashMap<>();
        if (in.queues() != null) {
            for (var e : in.queues().entrySet()) {
                String key = "queues." + e.getKey();
                boolean queue = h.createQuery("SELECT COUNT(*) FROM acd_queue WHERE enterprise_id = :e AND name = :n")
                        .bind("e", enterpriseId).bind("n", e.getKey()).mapTo(Long.class).one() > 0;
                v.check(queue, key, "no such queue");
                MaskMode m = MaskMode.parse(e.getValue());
                v.check(m != null, key, modes);
                queues.put(e.getKey(), m);
            }
        }
        v.throwIfInvalid();
        String joined = String.join("\n", roles);
        v.check(joined.length() <= 2000, "roles", "too many role names").throwIfInvalid();
        h.createUpdate("DELETE FROM number_mask_policy WHERE enterprise_id = :e").bind("e", enterpriseId).execute();
        h.createUpdate("INSERT INTO number_mask_policy (enterprise_id, mode, roles, webhooks_unmasked) VALUES (:e, :m, :r, :w)")
                .bind("e", enterpriseId).bind("m", mode.key()).bind("r", joined)
                .bind("w", Boolean.TRUE.equals(in.webhooksUnmasked())).execute();
        h.createUpdate("DELETE FROM number_mask_queue WHERE enterprise_id = :e").bind("e", enterpriseId).execute();
        for (var e : queues.entrySet()) {
            h.createUpdate("INSERT INTO number_mask_queue (enterprise_id, queue, mode) VALUES (:e, :q, :m)")
                    .bind("e", enterpriseId).bind("q", e.getKey()).bind("m", e.getValue().key()).execute();
        }
        return load(h, enterpriseId);
    }

    private static List<String> roles(String joined) {
        return joined == null || joined.isEmpty() ? List.of() : List.of(joined.split("\n"));
    }
}
