package dev.hotline.supervision;

import dev.hotline.domain.DomainException;
import dev.hotline.domain.Validator;
import org.jdbi.v3.core.Handle;

/**
 * An enterprise's supervision settings (SUP-2). {@code tellAgent}: whether the agent's desk shows that a supervisor
 * listens, whispers or barged in (off by default: silent monitoring, as most call centers run it).
 */
public record SupervisionSettings(boolean tellAgent) {
    static final String TELL_AGENT = "supervision.tellAgent";

    public record Input(Boolean tellAgent) {}

    public static SupervisionSettings load(Handle h, long enterpriseId) {
        return h.createQuery("SELECT setting_value FROM enterprise_setting WHERE enterprise_id = :e AND name = :n")
                .bind("e", enterpriseId).bind("n", TELL_AGENT).mapTo(String.class).findOne()
                .map(v -> new SupervisionSettings(Boolean.parseBoolean(v))).orElse(new SupervisionSettings(false));
    }

    public static SupervisionSettings validate(Input in) {
        if (in == null) throw DomainException.badRequest("a JSON body is required");
        Validator.of().required("tellAgent", in.tellAgent()).throwIfInvalid();
        return new SupervisionSettings(in.tellAgent());
    }

    public void save(Handle h, long enterpriseId) {
        h.createUpdate("DELETE FROM enterprise_setting WHERE enterprise_id = :e AND name = :n").bind("e", enterpriseId).bind("n", TELL_AGENT).execute();
        h.createUpdate("INSERT INTO enterprise_setting (enterprise_id, name, setting_value) VALUES (:e, :n, :v)")
                .bind("e", enterpriseId).bind("n", TELL_AGENT).bind("v", Boolean.toString(tellAgent)).execute();
    }
}
