package dev.hotline.monitor;

import dev.hotline.domain.DomainException;
import dev.hotline.domain.Validator;
import dev.hotline.store.EnterpriseSettings;
import java.time.DateTimeException;
import java.time.ZoneId;
import org.jdbi.v3.core.Handle;

/**
 * An enterprise's monitor settings (SUP-1). {@code timeZone}: the IANA zone of the enterprise's day, from whose midnight the
 * monitor and the wallboard count today's figures; null: the server's report zone.
 */
public record MonitorSettings(String timeZone) {
    static final String TIME_ZONE = "monitor.timeZone";

    public record Input(String timeZone) {}

    public static MonitorSettings load(Handle h, long enterpriseId) {
        return new MonitorSettings(EnterpriseSettings.get(h, enterpriseId, TIME_ZONE).filter(v -> !v.isBlank()).orElse(null));
    }

    /** The zone of the enterprise's day: its own, else {@code fallback}. */
    public ZoneId zone(ZoneId fallback) {
        if (timeZone == null) return fallback;
        try {
            return ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            return fallback;
        }
    }

    public static MonitorSettings validate(Input in) {
        if (in == null) throw DomainException.badRequest("a JSON body is required");
        String tz = in.timeZone() == null || in.timeZone().isBlank() ? null : in.timeZone().trim();
        boolean ok = true;
        if (tz != null) {
            try {
                ZoneId.of(tz);
            } catch (DateTimeException e) {
                ok = false;
            }
        }
        Validator.of().check(ok && (tz == null || tz.length() <= 64), "timeZone", "an IANA time zone such as Asia/Shanghai, or null for the server's")
                .throwIfInvalid();
        return new MonitorSettings(tz);
    }

    public void save(Handle h, long enterpriseId) {
        EnterpriseSettings.put(h, enterpriseId, TIME_ZONE, timeZone == null ? "" : timeZone); // blank: the server's zone
    }
}
