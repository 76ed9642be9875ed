package dev.hotline.campaign;

import dev.hotline.engine.amd.AmdParams;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A campaign's answering-machine detection (OUT-1 item 3): its parameters, and the message it leaves after the beep. */
final class MachineDetection {
    /** How long a machine's beep is waited for, after the machine is told, before the message is left anyway. */
    static final int BEEP_WAIT_MS = 20_000;
    static final List<String> NAMES = List.of("initialSilenceMs", "greetingMs", "afterGreetingSilenceMs", "totalAnalysisMs",
            "minWordLengthMs", "betweenWordsSilenceMs", "maxWords", "silenceThreshold", "maxWordLengthMs", "noiseAdaptDb", "beepMinMs");
    private static final Pattern VARIABLE = Pattern.compile("\\{([^{}]{1,64})}");

    private MachineDetection() {}

    /**
     * Hotline's defaults with the campaign's changes; an unknown name or a value out of range throws
     * {@link IllegalArgumentException} naming it. Leaving a message waits for the beep.
     */
    static AmdParams params(CampaignSettings.Amd amd) {
        Map<String, Integer> v = new LinkedHashMap<>();
        AmdParams d = AmdParams.defaults();
        int[] values = {d.initialSilenceMs(), d.greetingMs(), d.afterGreetingSilenceMs(), d.totalAnalysisMs(), d.minWordLengthMs(),
                d.betweenWordsSilenceMs(), d.maxWords(), d.silenceThreshold(), d.maxWordLengthMs(), d.noiseAdaptDb(), d.beepMinMs()};
        for (int i = 0; i < NAMES.size(); i++) v.put(NAMES.get(i), values[i]);
        if (amd.params() != null) {
            for (var e : amd.params().entrySet()) {
                if (!v.containsKey(e.getKey())) throw new IllegalArgumentException("unknown AMD parameter " + e.getKey() + "; one of " + NAMES);
                if (e.getValue() == null) throw new IllegalArgumentException("AMD parameter " + e.getKey() + " needs a value");
                v.put(e.getKey(), e.getValue());
            }
        }
        int beepWait = "message".equals(amd.action()) ? BEEP_WAIT_MS : 0;
        return new AmdParams(v.get("initialSilenceMs"), v.get("greetingMs"), v.get("afterGreetingSilenceMs"), v.get("totalAnalysisMs"),
                v.get("minWordLengthMs"), v.get("betweenWordsSilenceMs"), v.get("maxWords"), v.get("silenceThreshold"), v.get("maxWordLengthMs"),
                v.get("noiseAdaptDb"), beepWait, v.get("beepMinMs"));
    }

    /** {@code text} with {name}, {number} and the list's columns of the number filled in; unknown names are left as they are. */
    static String fill(String text, CampaignStore.Contact c) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String key = m.group(1).strip();
            String value = switch (key) {
                case "name" -> c.name();
                case "number" -> c.number();
                default -> c.vars().get(key);
            };
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
