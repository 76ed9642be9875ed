package dev.hotline.engine.amd;

import dev.hotline.engine.codec.G711;
import dev.hotline.engine.tts.EspeakTts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A labelled set of answered calls for answering-machine detection, built with espeak-ng: people answering with a
 * short greeting and then waiting in silence, machines with a long greeting followed (mostly) by a beep, in Chinese
 * and English, with varied speed, pitch, level, initial silence and line noise (white or pink at several SNRs), then
 * through G.711 as on a real line. Seeded: the same seed gives the same calls, sample for sample.
 *
 * <p>Speech is rendered by {@link EspeakTts} into {@code cacheDir} (a few hundred kB per text and voice setting), so
 * that a second run only reads files.
 */
public final class AmdCorpus {
    private static final int RATE = 8000;

    public enum Truth { HUMAN, MACHINE }

    /**
     * One labelled call, as the detector hears it from the answer on.
     *
     * @param beepStartMs where the beep starts, -1 for a call without one
     */
    public record Call(int id, Truth truth, String voice, String text, int speed, int pitch, int gainDb,
            int initialSilenceMs, int greetingEndMs, String noise, int snrDb, int beepStartMs, int beepMs, int beepHz,
            String law, short[] samples) {

        public boolean hasBeep() {
            return beepStartMs >= 0;
        }

        public String describe() {
            return "#" + id + " " + truth + " " + voice + " \"" + text + "\" speed=" + speed + " pitch=" + pitch
                    + " gain=" + gainDb + "dB initialSilence=" + initialSilenceMs + " greetingEnd=" + greetingEndMs
                    + " noise=" + noise + (noise.equals("none") ? "" : "@" + snrDb + "dB")
                    + (hasBeep() ? " beep=" + beepStartMs + "+" + beepMs + "ms@" + beepHz + "Hz" : " no beep")
                    + " " + law;
        }
    }

    static final String ZH = "cmn-latn-pinyin";
    static final String EN = "en";

    static final String[][] HUMAN_GREETINGS = {
        {ZH, "喂？"}, {ZH, "你好"}, {ZH, "喂，你好"}, {ZH, "你好，哪位？"}, {ZH, "喂，哪位"}, {ZH, "您好"},
        {EN, "Hello?"}, {EN, "Yes, speaking."}, {EN, "Hi."}, {EN, "Hello, who is this?"}, {EN, "Yeah?"},
        {EN, "Good morning."},
    };

    static final String[][] MACHINE_GREETINGS = {
        {ZH, "您好，您拨打的用户暂时无法接通，请在提示音后留言。"},
        {ZH, "您好，我现在不方便接听电话，请在嘀声后留言，我会尽快回复您。"},
        {ZH, "你好，这里是张先生的语音信箱，请在提示音后留下您的姓名和电话。"},
        {ZH, "您拨打的电话暂时无人接听，请在提示音后留言，留言完毕请挂机。"},
        {ZH, "您好，欢迎致电光明牙科，现在是非工作时间，请留下您的姓名和电话，我们会尽快回电。"},
        {EN, "Hi, you've reached John, I can't take your call right now, please leave a message after the tone."},
        {EN, "Hello, you have reached the voicemail of Sarah Miller. Please leave your name and number after the beep."},
        {EN, "The person you are calling is not available. Please leave a message after the beep."},
        {EN, "Thank you for calling Acme Dental. Our office is now closed. Please leave a message and we will call you"
                + " back."},
        {EN, "Hey, this is Mike. I'm not around right now, leave me a message and I'll get back to you."},
    };

    private static final int[] SPEEDS = {120, 150, 175, 200};
    private static final int[] PITCHES = {30, 50, 70};
    private static final int[] SNRS = {30, 20, 15, 10};
    private static final int[] BEEP_HZ = {440, 600, 800, 1000, 1200, 1400, 1800};

    private final EspeakTts.Options base;
    private final Map<String, short[]> rendered = new HashMap<>();

    public AmdCorpus(Path cacheDir) {
        this.base = EspeakTts.Options.defaults(cacheDir);
    }

    /** {@code perClass} people and {@code perClass} machines, alternating, from {@code seed}. */
    public List<Call> generate(int perClass, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Call> calls = new ArrayList<>(2 * perClass);
        for (int i = 0; i < perClass; i++) {
            calls.add(human(2 * i, rnd.split()));
            calls.add(machine(2 * i + 1, rnd.split()));
        }
        return calls;
    }

    Call human(int id, SplittableRandom r) {
        String[] g = HUMAN_GREETINGS[r.nextInt(HUMAN_GREETINGS.length)];
        int speed = SPEEDS[r.nextInt(SPEEDS.length)];
        int pitch = PITCHES[r.nextInt(PITCHES.length)];
        short[] speech = speech(g[1], g[0], speed, pitch);
        int initial = 200 + r.nextInt(1600);
        int total = initial + ms(speech.length) + 3000 + r.nextInt(1000);
        double[] x = new double[total * RATE / 1000];
        int at = samples(initial);
        add(x, speech, at, 1);
        int greetingEnd = initial + ms(speech.length);
        if (r.nextInt(10) < 4) { // some say it again after waiting 1.5..3 s
            int again = samples(greetingEnd + 1500 + r.nextInt(1500));
            if (again + speech.length < x.length) {
                add(x, speech, again, 1);
            }
        }
        return finish(id, Truth.HUMAN, g, speed, pitch, initial, greetingEnd, -1, 0, 0, x, speechRms(speech), r);
    }

    Call machine(int id, SplittableRandom r) {
        String[] g = MACHINE_GREETINGS[r.nextInt(MACHINE_GREETINGS.length)];
        int speed = SPEEDS[r.nextInt(SPEEDS.length)];
        int pitch = PITCHES[r.nextInt(PITCHES.length)];
        short[] speech = speech(g[1], g[0], speed, pitch);
        int initial = 100 + r.nextInt(1100);
        int greetingEnd = initial + ms(speech.length);
        boolean beep = r.nextInt(100) < 85;
        int gap = 300 + r.nextInt(700);
        int beepMs = beep ? 200 + r.nextInt(800) : 0;
        int beepHz = beep ? BEEP_HZ[r.nextInt(BEEP_HZ.length)] + r.nextInt(41) - 20 : 0;
        int beepStart = beep ? greetingEnd + gap : -1;
        int total = greetingEnd + gap + beepMs + 2000 + r.nextInt(1000);
        double[] x = new double[total * RATE / 1000];
        add(x, speech, samples(initial), 1);
        if (beep) {
            double amp = 6000 + r.nextInt(10000);
            int s0 = samples(beepStart);
            int n = samples(beepMs);
            int ramp = samples(5); // 5 ms on and off ramps, as real beeps have
            for (int i = 0; i < n && s0 + i < x.length; i++) {
                double env = Math.min(1, Math.min(i, n - 1 - i) / (double) ramp);
                x[s0 + i] += env * amp * Math.sin(2 * Math.PI * beepHz * i / RATE);
            }
        }
        return finish(id, Truth.MACHINE, g, speed, pitch, initial, greetingEnd, beepStart, beepMs, beepHz, x,
                speechRms(speech), r);
    }

    private Call finish(int id, Truth truth, String[] g, int speed, int pitch, int initial, int greetingEnd,
            int beepStart, int beepMs, int beepHz, double[] x, double speechRms, SplittableRandom r) {
        int gainDb = -r.nextInt(13); // line level: 0..-12 dB
        String noise;
        int snr = 0;
        int kind = r.nextInt(5);
        if (kind == 0) {
            noise = "none";
        } else {
            noise = kind <= 2 ? "white" : "pink";
            snr = SNRS[r.nextInt(SNRS.length)];
            addNoise(x, noise, speechRms * Math.pow(10, -snr / 20.0), r);
        }
        boolean alaw = r.nextBoolean();
        double gain = Math.pow(10, gainDb / 20.0);
        short[] out = new short[x.length];
        for (int i = 0; i < x.length; i++) {
            short s = (short) Math.max(-32768, Math.min(32767, Math.round(x[i] * gain)));
            out[i] = alaw ? G711.alawToLinear(G711.linearToAlaw(s)) : G711.ulawToLinear(G711.linearToUlaw(s));
        }
        return new Call(id, truth, g[0], g[1], speed, pitch, gainDb, initial, greetingEnd, noise, snr, beepStart,
                beepMs, beepHz, alaw ? "PCMA" : "PCMU", out);
    }

    private short[] speech(String text, String voice, int speed, int pitch) {
        String key = voice + "|" + speed + "|" + pitch + "|" + text;
        return rendered.computeIfAbsent(key, k ->
                new EspeakTts(base.withSpeed(speed).withPitch(pitch)).render(text, voice).samples());
    }

    /** RMS of the speech's active part (20 ms frames above -40 dB of the loudest), the reference of the SNR. */
    static double speechRms(short[] s) {
        double max = 0;
        double[] frames = new double[s.length / 160];
        for (int f = 0; f < frames.length; f++) {
            double e = 0;
            for (int i = f * 160; i < f * 160 + 160; i++) {
                e += (double) s[i] * s[i];
            }
            frames[f] = e / 160;
            max = Math.max(max, frames[f]);
        }
        double sum = 0;
        int n = 0;
        for (double e : frames) {
            if (e > max * 1e-4) {
                sum += e;
                n++;
            }
        }
        return n == 0 ? 0 : Math.sqrt(sum / n);
    }

    private static void addNoise(double[] x, String kind, double rms, SplittableRandom r) {
        // Pink: Paul Kellet's economy filter on white noise (-3 dB per octave), scaled to the same RMS.
        double b0 = 0;
        double b1 = 0;
        double b2 = 0;
        double[] n = new double[x.length];
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            double w = gaussian(r);
            double v;
            if (kind.equals("pink")) {
                b0 = 0.99765 * b0 + w * 0.0990460;
                b1 = 0.96300 * b1 + w * 0.2965164;
                b2 = 0.57000 * b2 + w * 1.0526913;
                v = b0 + b1 + b2 + w * 0.1848;
            } else {
                v = w;
            }
            n[i] = v;
            sum += v * v;
        }
        double scale = rms / Math.sqrt(sum / x.length);
        for (int i = 0; i < x.length; i++) {
            x[i] += n[i] * scale;
        }
    }

    private static double gaussian(SplittableRandom r) {
        double u1 = r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    private static void add(double[] x, short[] s, int at, double gain) {
        for (int i = 0; i < s.length && at + i < x.length; i++) {
            x[at + i] += s[i] * gain;
        }
    }

    static int samples(int ms) {
        return ms * RATE / 1000;
    }

    static int ms(int samples) {
        return samples * 1000 / RATE;
    }
}
