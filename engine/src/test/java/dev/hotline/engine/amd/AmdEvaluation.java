package dev.hotline.engine.amd;

import dev.hotline.engine.amd.AmdCorpus.Call;
import dev.hotline.engine.amd.AmdCorpus.Truth;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the detector over labelled calls: the confusion matrix (truth × status), accuracy per class, and the beep
 * figures. A beep counts as detected when its start is found within {@value #BEEP_TOLERANCE_MS} ms of where it was
 * put; a false beep is a beep found in a call without one (the whole call is scanned, not only the AMD window).
 */
public final class AmdEvaluation {
    static final int BEEP_TOLERANCE_MS = 60;

    public final AmdParams params;
    public final Map<Truth, Map<AmdStatus, Integer>> matrix = new EnumMap<>(Truth.class);
    public final Map<Truth, Map<AmdCause, Integer>> causes = new EnumMap<>(Truth.class);
    public final List<String> wrong = new ArrayList<>();
    public int beepCalls;
    public int beepsFound;
    public int beepsFoundElsewhere;
    public int callsWithoutBeep;
    public int falseBeeps;
    public long beepErrorSumMs;
    public int beepMaxErrorMs;

    private AmdEvaluation(AmdParams params) {
        this.params = params;
        for (Truth t : Truth.values()) {
            Map<AmdStatus, Integer> row = new EnumMap<>(AmdStatus.class);
            for (AmdStatus s : List.of(AmdStatus.HUMAN, AmdStatus.MACHINE, AmdStatus.NOTSURE)) {
                row.put(s, 0);
            }
            matrix.put(t, row);
            causes.put(t, new EnumMap<>(AmdCause.class));
        }
    }

    /** Evaluates {@code params} (with a beep wait long enough for every call) on {@code calls}. */
    public static AmdEvaluation run(AmdParams params, List<Call> calls) {
        return run(params, calls, true);
    }

    /** Evaluates {@code params} on {@code calls}; without {@code beeps}, only the decisions (faster). */
    public static AmdEvaluation run(AmdParams params, List<Call> calls, boolean beeps) {
        AmdEvaluation e = new AmdEvaluation(params);
        AmdParams withWait = beeps ? params.withBeepWaitMs(60_000) : params;
        for (Call c : calls) {
            AmdDetector d = new AmdDetector(withWait);
            d.processAll(c.samples());
            AmdResult r = d.stop();
            e.matrix.get(c.truth()).merge(r.status(), 1, Integer::sum);
            e.causes.get(c.truth()).merge(r.cause(), 1, Integer::sum);
            boolean right = r.status().name().equals(c.truth().name());
            if (!right) {
                e.wrong.add(c.describe() + " -> " + r.summary());
            }
            if (!beeps) {
                continue;
            }
            // The beep over the whole call, whatever the decision.
            BeepDetector b = new BeepDetector(params.beepMinMs());
            short[] s = c.samples();
            for (int off = 0, at = 0; off + AmdDetector.FRAME_SAMPLES <= s.length; off += AmdDetector.FRAME_SAMPLES,
                    at += AmdDetector.FRAME_MS) {
                b.process(s, off, at);
            }
            if (c.hasBeep()) {
                e.beepCalls++;
                int err = Math.abs(b.startMs() - c.beepStartMs());
                if (b.found() && err <= BEEP_TOLERANCE_MS) {
                    e.beepsFound++;
                    e.beepErrorSumMs += err;
                    e.beepMaxErrorMs = Math.max(e.beepMaxErrorMs, err);
                } else if (b.found()) {
                    e.beepsFoundElsewhere++;
                    e.wrong.add(c.describe() + " -> beep found at " + b.startMs());
                } else {
                    e.wrong.add(c.describe() + " -> beep missed");
                }
            } else {
                e.callsWithoutBeep++;
                if (b.found()) {
                    e.falseBeeps++;
                    e.wrong.add(c.describe() + " -> false beep at " + b.startMs() + "@" + b.hz() + "Hz");
                }
            }
        }
        return e;
    }

    public int total(Truth t) {
        return matrix.get(t).values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Share of calls of class {@code t} given the right status. */
    public double accuracy(Truth t) {
        int right = matrix.get(t).get(t == Truth.HUMAN ? AmdStatus.HUMAN : AmdStatus.MACHINE);
        return total(t) == 0 ? 0 : right / (double) total(t);
    }

    public double beepDetectionRate() {
        return beepCalls == 0 ? 0 : beepsFound / (double) beepCalls;
    }

    public double falseBeepRate() {
        return callsWithoutBeep == 0 ? 0 : falseBeeps / (double) callsWithoutBeep;
    }

    /** The figures as a JSON object. */
    public String json(String indent) {
        StringBuilder b = new StringBuilder("{\n");
        String in = indent + "  ";
        b.append(in).append("\"params\": ").append(paramsJson(params)).append(",\n");
        b.append(in).append("\"confusion_matrix\": {");
        int i = 0;
        for (Truth t : Truth.values()) {
            b.append(i++ > 0 ? ", " : "").append('"').append(t.name().toLowerCase(Locale.ROOT)).append("\": {");
            int j = 0;
            for (Map.Entry<AmdStatus, Integer> s : matrix.get(t).entrySet()) {
                b.append(j++ > 0 ? ", " : "").append('"').append(s.getKey()).append("\": ").append(s.getValue());
            }
            b.append('}');
        }
        b.append("},\n");
        b.append(in).append("\"causes\": {");
        i = 0;
        for (Truth t : Truth.values()) {
            b.append(i++ > 0 ? ", " : "").append('"').append(t.name().toLowerCase(Locale.ROOT)).append("\": {");
            int j = 0;
            for (Map.Entry<AmdCause, Integer> s : causes.get(t).entrySet()) {
                b.append(j++ > 0 ? ", " : "").append('"').append(s.getKey()).append("\": ").append(s.getValue());
            }
            b.append('}');
        }
        b.append("},\n");
        b.append(in).append(String.format(Locale.ROOT, "\"accuracy\": {\"human\": %.4f, \"machine\": %.4f},%n",
                accuracy(Truth.HUMAN), accuracy(Truth.MACHINE)));
        b.append(in).append(String.format(Locale.ROOT,
                "\"beep\": {\"calls_with_beep\": %d, \"detected_within_%dms\": %d, \"detection_rate\": %.4f, "
                        + "\"found_at_wrong_time\": %d, \"mean_start_error_ms\": %.1f, \"max_start_error_ms\": %d, "
                        + "\"calls_without_beep\": %d, \"false_beeps\": %d, \"false_beep_rate\": %.4f}%n",
                beepCalls, BEEP_TOLERANCE_MS, beepsFound, beepDetectionRate(), beepsFoundElsewhere,
                beepsFound == 0 ? 0.0 : beepErrorSumMs / (double) beepsFound, beepMaxErrorMs, callsWithoutBeep,
                falseBeeps, falseBeepRate()));
        return b.append(indent).append('}').toString();
    }

    static String paramsJson(AmdParams p) {
        return "{\"initialSilenceMs\": " + p.initialSilenceMs() + ", \"greetingMs\": " + p.greetingMs()
                + ", \"afterGreetingSilenceMs\": " + p.afterGreetingSilenceMs() + ", \"totalAnalysisMs\": "
                + p.totalAnalysisMs() + ", \"minWordLengthMs\": " + p.minWordLengthMs() + ", \"betweenWordsSilenceMs\": "
                + p.betweenWordsSilenceMs() + ", \"maxWords\": " + p.maxWords() + ", \"silenceThreshold\": "
                + p.silenceThreshold() + ", \"maxWordLengthMs\": " + p.maxWordLengthMs() + ", \"noiseAdaptDb\": "
                + p.noiseAdaptDb() + ", \"beepMinMs\": " + p.beepMinMs() + "}";
    }
}
