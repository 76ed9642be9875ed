package dev.hotline.supervision;

import dev.hotline.domain.DomainException;
import dev.hotline.domain.Validator;
import dev.hotline.store.EnterpriseSettings;
import org.jdbi.v3.core.Handle;

/**
 * An enterprise's supervision settings (SUP-2). {@code tellAgent}: whether the agent's desk shows that a supervisor
 * listens, whispers or barged in (off by default: silent monitoring, as most call centers run it).
 */
public record SupervisionSettings(boolean tellAgent) {
    static final String TELL_AGENT = "supervision.tellAgent";

    public record Input(Boolean tellAgent) {}

    public static SupervisionSettings load(Handle h, long enterpriseId) {
        return EnterpriseSettings.get(h, enterpriseId, TELL_AGENT).map(v -> new SupervisionSettings(Boolean.parseBoolean(v))).orElse(new SupervisionSettings(false));
    }

    public static SupervisionSettings validate(Input in) {
        if (in == null) throw DomainException.badRequest("a JSON body is required");
        Validator.of().required("tellAgent", in.tellAgent()).throwIfInvalid();
        return new SupervisionSettings(in.tellAgent());
    }

    public void save(Handle h, long enterpriseId) {
        EnterpriseSettings.put(h, enterpriseId, TELL_AGENT, Boolean.toString(tellAgent));
    }
}
