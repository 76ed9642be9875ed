package dev.hotline.recording;

import dev.hotline.domain.DomainException;
import dev.hotline.domain.Validator;
import dev.hotline.engine.call.RecordFormat;
import dev.hotline.store.EnterpriseSettings;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * An enterprise's recording policy (REC-1), file format (REC-2) and retention; {@code extensions}: extensions whose
 * calls (made or received) are recorded whatever the policy says.
 */
public record RecordingSettings(Policy policy, Format format, boolean stereo, int retentionDays, List<String> extensions) {
    public static final RecordingSettings DEFAULT = new RecordingSettings(Policy.NONE, Format.PCM, true, 90, List.of());

    public RecordingSettings {
        extensions = extensions == null ? List.of() : List.copyOf(extensions);
    }

    /** Which calls are recorded. */
    public enum Policy {
        NONE, ALL, INBOUND, OUTBOUND, INTERNAL;

        @com.fasterxml.jackson.annotation.JsonValue
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Whether a call of {@code direction} (inbound, outbound, internal) is recorded under this policy. */
        public boolean records(String direction) {
            return this == ALL || key().equals(direction);
        }

        static Optional<Policy> parse(String s) {
            return Arrays.stream(values()).filter(p -> p.key().equals(s)).findFirst();
        }
    }

    /** WAV encodings offered (REC-2). */
    public enum Format {
        PCM(RecordFormat.PCM), ULAW(RecordFormat.ULAW), GSM(RecordFormat.GSM);

        private final RecordFormat engine;

        Format(RecordFormat engine) {
            this.engine = engine;
        }

        public RecordFormat engineFormat() {
            return engine;
        }

        @com.fasterxml.jackson.annotation.JsonValue
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Optional<Format> parse(String s) {
            return Arrays.stream(values()).filter(f -> f.key().equals(s)).findFirst();
        }
    }

    public record Input(String policy, String format, Boolean stereo, Integer retentionDays, List<String> extensions) {
        public Input(String policy, String format, Boolean stereo, Integer retentionDays) {
            this(policy, format, stereo, retentionDays, null);
        }
    }

    public static RecordingSettings load(Handle h, long enterpriseId) {
        Map<String, String> m = EnterpriseSettings.withPrefix(h, enterpriseId, "recording.");
        return new RecordingSettings(
                Policy.parse(m.getOrDefault("recording.policy", "")).orElse(DEFAULT.policy()),
                Format.parse(m.getOrDefault("recording.format", "")).orElse(DEFAULT.format()),
                m.containsKey("recording.stereo") ? Boolean.parseBoolean(m.get("recording.stereo")) : DEFAULT.stereo(),
                m.containsKey("recording.retentionDays") ? Integer.parseInt(m.get("recording.retentionDays")) : DEFAULT.retentionDays(),
                m.getOrDefault("recording.extensions", "").isEmpty() ? List.of() : List.of(m.get("recording.extensions").split(",")));
    }

    public static RecordingSettings validate(Input in) {
        return validate(in, List.of());
    }

    /** As {@link #validate(Input)}; an input without {@code extensions} keeps {@code currentExtensions} (a form that does not show them). */
    public static RecordingSettings validate(Input in, List<String> currentExtensions) {
        if (in == null) throw DomainException.badRequest("a JSON body is required");
        var policy = Policy.parse(in.policy());
        var format = Format.parse(in.format());
        boolean stereo = in.stereo() == null || in.stereo();
        Validator.of().check(policy.isPresent(), "policy", "none, all, inbound, outbound or internal")
                .check(format.isPresent(), "format", "pcm, ulaw or gsm")
                .check(!(format.orElse(null) == Format.GSM && stereo), "stereo", "GSM recordings are mono")
                .required("retentionDays", in.retentionDays())
                .check(in.retentionDays() == null || (in.retentionDays() >= 1 && in.retentionDays() <= 3650), "retentionDays", "1..3650")
                .check(in.extensions() == null || in.extensions().size() <= 1000 && in.extensions().stream()
                        .allMatch(x -> x != null && x.matches("[0-9]{2,16}")), "extensions", "extension numbers (2 to 16 digits)")
                .throwIfInvalid();
        List<String> extensions = in.extensions() == null ? currentExtensions : in.extensions().stream().distinct().sorted().toList();
        return new RecordingSettings(policy.get(), format.get(), stereo, in.retentionDays(), extensions);
    }

    public void save(Handle h, long enterpriseId) {
        EnterpriseSettings.put(h, enterpriseId, "recording.policy", policy.key());
        EnterpriseSettings.put(h, enterpriseId, "recording.format", format.key());
        EnterpriseSettings.put(h, enterpriseId, "recording.stereo", Boolean.toString(stereo));
        EnterpriseSettings.put(h, enterpriseId, "recording.retentionDays", Integer.toString(retentionDays));
        EnterpriseSettings.put(h, enterpriseId, "recording.extensions", String.join(",", extensions));
    }
}
