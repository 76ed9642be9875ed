package dev.hotline.routing;

import dev.hotline.domain.Validator;
import dev.hotline.store.EnterpriseSettings;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.jdbi.v3.core.Handle;

/**
 * PBX-4: what happens to a parked call nobody takes. After {@code timeoutSeconds} (0: never) it leaves its slot and rings
 * the extension that parked it; when that phone does not answer (or there is no parker to ring) the caller goes to the
 * destination ({@code destinationType} + {@code destination}, as a number's), or is hung up on when none is set.
 * Stored per enterprise in {@code enterprise_setting} ({@code park.*}).
 */
public record ParkSettings(int timeoutSeconds, String destinationType, String destination) {
    static final int MIN_TIMEOUT = 5;
    static final int MAX_TIMEOUT = 3600;
    /** The destination types a timed-out parked call may go to. */
    static final Set<String> TYPES = Set.of("extension", "queue", "ringgroup", "voicemail", "external", "hangup");
    private static final String PREFIX = "park.";

    static ParkSettings off() {
        return new ParkSettings(0, null, null);
    }

    static ParkSettings of(Handle h, long enterpriseId) {
        Map<String, String> m = EnterpriseSettings.withPrefix(h, enterpriseId, PREFIX);
        int seconds = Optional.ofNullable(m.get(PREFIX + "timeoutSeconds")).map(Integer::parseInt).orElse(0);
        return new ParkSettings(seconds, m.get(PREFIX + "destinationType"), m.get(PREFIX + "destination"));
    }

    void save(Handle h, long enterpriseId) {
        EnterpriseSettings.put(h, enterpriseId, PREFIX + "timeoutSeconds", Integer.toString(timeoutSeconds));
        EnterpriseSettings.put(h, enterpriseId, PREFIX + "destinationType", destinationType == null ? "" : destinationType);
        EnterpriseSettings.put(h, enterpriseId, PREFIX + "destination", destination == null ? "" : destination);
    }

    /** Where the caller goes when the parker does not take the call back; empty: hung up on. */
    Optional<Destination> onward() {
        if (destinationType == null || destinationType.isEmpty()) return Optional.empty();
        return Destination.parse(destinationType, destination);
    }

    /**
     * A checked copy of an input: 400 naming {@code timeoutSeconds}, {@code destinationType} or {@code destination}.
     *
     * @param isExtension whether a number is an extension of the enterprise
     */
    static ParkSettings validate(Integer timeoutSeconds, String type, String destination, Predicate<String> isExtension) {
        String t = blankToNull(type);
        String d = blankToNull(destination);
        Validator v = Validator.of().required("timeoutSeconds", timeoutSeconds)
                .check(timeoutSeconds == null || timeoutSeconds == 0 || timeoutSeconds >= MIN_TIMEOUT && timeoutSeconds <= MAX_TIMEOUT,
                        "timeoutSeconds", "0 (never) or " + MIN_TIMEOUT + ".." + MAX_TIMEOUT)
                .check(t == null || TYPES.contains(t), "destinationType", String.join(", ", TYPES.stream().sorted().toList()));
        if (t != null && TYPES.contains(t) && !t.equals("hangup")) {
            v.required("destination", d);
            if (d != null && t.equals("extension")) v.check(isExtension.test(d), "destination", "no such extension");
            if (d != null && t.equals("external")) v.matches("destination", d, "\\+?[0-9]{1,32}", "digits, optional leading +");
        }
        v.throwIfInvalid();
        return new ParkSettings(timeoutSeconds, t, t == null || t.equals("hangup") ? null : d);
    }

    private static String blankToNull(String s) {
        String c = Validator.clean(s);
        return c == null || c.isEmpty() ? null : c;
    }
}
