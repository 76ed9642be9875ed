package dev.hotline.campaign;

import java.util.Locale;

/**
 * Predictive pacing (OUT-1), a pure function of what the dialer measures, so that a seeded simulation drives the very
 * code the dialer runs. Each decision says how many more numbers to dial now, the dial level (calls in flight per agent
 * expected free), and why.
 *
 * <p>The rule: the calls in flight plus the new ones will be answered by a person with the measured probability
 * {@code p} (binomial); the agents available are the ready ones plus the busy ones whose expected remaining handle time
 * is shorter than the time a dialled number takes to answer. Dial the most numbers whose expected abandons (answers
 * beyond the available agents) stay within the target share of expected answers. The target shrinks as the abandon rate
 * over the rolling 24 hours or 30 days nears the brake ({@value #BRAKE} , below the legal cap {@value #CAP}); at the
 * brake, during warm-up (too few answers measured) and for progressive campaigns, it is zero: no more calls than ready
 * agents, so every answered call finds one.
 */
public final class Pacing {
    /** The legal cap: abandoned calls over calls answered by a person, in any 24 hours and over 30 days. */
    public static final double CAP = 0.03;
    /** Predictive dialling stops over-dialling at this rate, before the cap. */
    public static final double BRAKE = 0.025;
    /** The share of abandons aimed at when the windows are clean. */
    public static final double AIM = 0.015;
    /** Person answers measured before over-dialling starts. */
    public static final int WARM_UP_ANSWERS = 30;
    /** Calls in flight per available agent at most. */
    public static final double MAX_LEVEL = 4.0;

    private Pacing() {}

    /**
     * What the dialer knows at one moment.
     *
     * @param readyAgents      agents ready and not reserved for a call
     * @param busyRemainingSec the expected remaining handle time of each busy agent (talk plus wrap-up), seconds
     * @param inFlight         calls dialled and not yet answered or ended
     * @param answerRate       measured share of dials answered by a person (0–1)
     * @param answerDelaySec   measured mean time from dialling to a person answering, seconds
     * @param answers24h       person answers in the last 24 hours; {@code abandons24h} of them abandoned
     * @param answers30d       person answers in the last 30 days; {@code abandons30d} of them abandoned
     * @param answersMeasured  person answers the answer rate is measured from
     */
    public record Snapshot(int readyAgents, double[] busyRemainingSec, int inFlight, double answerRate, double answerDelaySec,
                           long answers24h, long abandons24h, long answers30d, long abandons30d, long answersMeasured) {}

    /** How many numbers to dial now, the dial level, and why. */
    public record Decision(int dial, double level, double target, String reason) {}

    public static Decision predictive(Snapshot s) {
        if (s.readyAgents() == 0 && s.busyRemainingSec().length == 0) return new Decision(0, 0, 0, "stopped: no agent signed in, not dialling");
        double rate24 = rate(s.abandons24h(), s.answers24h());
        double rate30 = rate(s.abandons30d(), s.answers30d());
        double worst = Math.max(rate24, rate30);
        String windows = String.format(Locale.ROOT, "abandon rate 24 h %.2f %%, 30 d %.2f %%", rate24 * 100, rate30 * 100);
        if (worst >= BRAKE) return progressive(s, "brake: " + windows + " at or above " + pct(BRAKE) + ", one call per ready agent");
        if (s.answersMeasured() < WARM_UP_ANSWERS || s.answerRate() <= 0) {
            return progressive(s, "warm-up: " + s.answersMeasured() + " of " + WARM_UP_ANSWERS + " answers measured, one call per ready agent");
        }
        // The closer to the brake, the smaller the share of abandons this decision may risk.
        double target = AIM * (BRAKE - worst) / BRAKE;
        // Budget left in the 24 h window: never plan past the brake on the answers the window already holds.
        double p = Math.min(0.999, s.answerRate());
        int aboutToFree = 0;
        for (double r : s.busyRemainingSec()) if (r <= s.answerDelaySec()) aboutToFree++;
        int available = s.readyAgents() + aboutToFree;
        if (available == 0) return new Decision(0, 0, target, "waiting: no agent ready or about to be free; " + windows);
        int maxInFlight = (int) Math.floor(MAX_LEVEL * available);
        int n = 0;
        while (s.inFlight() + n + 1 <= maxInFlight && expectedAbandonShare(s.inFlight() + n + 1, p, available) <= target) n++;
        // At least one call per ready agent not yet covered (progressive floor): those answers always find an agent.
        n = Math.max(n, Math.max(0, s.readyAgents() - s.inFlight()));
        double level = (s.inFlight() + n) / (double) available;
        return new Decision(n, level, target, String.format(Locale.ROOT,
                "pacing: answer rate %.0f %%, %d ready + %d about to be free, target %.2f %%; %s", p * 100, s.readyAgents(), aboutToFree,
                target * 100, windows));
    }

    /** One call per ready agent not yet covered by a call in flight: every answered call finds its agent. */
    public static Decision progressive(Snapshot s, String reason) {
        int n = Math.max(0, s.readyAgents() - s.inFlight());
        return new Decision(n, s.readyAgents() == 0 ? 0 : (s.inFlight() + n) / (double) s.readyAgents(), 0, reason);
    }

    /** E[max(0, X − a)] / E[X] for X ~ Binomial(n, p): the share of person answers finding no agent. */
    static double expectedAbandonShare(int n, double p, int a) {
        if (n <= a) return 0;
        double pmf = Math.pow(1 - p, n); // P(X = 0)
        double excess = 0;
        for (int k = 0; k <= n; k++) {
            if (k > 0) pmf = pmf * (n - k + 1) / k * p / (1 - p);
            if (k > a) excess += (k - a) * pmf;
        }
        return excess / (n * p);
    }

    static double rate(long abandons, long answers) {
        return answers == 0 ? 0 : abandons / (double) answers;
    }

    private static String pct(double d) {
        return String.format(Locale.ROOT, "%.1f %%", d * 100);
    }
}
