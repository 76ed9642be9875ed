package dev.hotline.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * OUT-1 predictive pacing, checked on a seeded discrete-event simulation that runs the real {@link Pacing}: over three
 * days the abandon rate stays under 3 % in every 24-hour window (and overall, the 30-day window), and agents wait less
 * than with progressive dialling.
 */
class DialerSimulationTest {

    @Test
    void predictiveKeepsEvery24HourAbandonRateUnder3PercentAndAgentsIdleLessThanProgressive() {
        for (long seed : new long[] {1, 2, 3}) {
            DialerSimulation.Params p = DialerSimulation.Params.defaults(seed);
            DialerSimulation.Result prog = DialerSimulation.run(p, false);
            DialerSimulation.Result pred = DialerSimulation.run(p, true);
            System.out.println(prog.json());
            System.out.println(pred.json());
            assertThat(prog.abandons()).as("progressive: every answered call finds its agent, seed " + seed).isZero();
            assertThat(pred.personAnswers()).as("the simulation ran").isGreaterThan(1000);
            assertThat(pred.maxAbandonRate24h()).as("worst 24 h window, seed " + seed).isLessThan(Pacing.CAP);
            assertThat(pred.abandonRate()).as("whole run (the 30-day window), seed " + seed).isLessThan(Pacing.CAP);
            assertThat(pred.abandons()).as("predictive does over-dial, seed " + seed).isPositive();
            assertThat(pred.agentIdleShare()).as("idle share, seed " + seed).isLessThan(prog.agentIdleShare() * 0.8);
            assertThat(pred.connectsPerAgentHour()).isGreaterThan(prog.connectsPerAgentHour());
        }
    }

    @Test
    void theBrakeAndTheWarmUpFallBackToOneCallPerReadyAgentAndNoAgentMeansNoDialling() {
        double[] none = {};
        Pacing.Snapshot braking = new Pacing.Snapshot(5, new double[] {3, 4}, 0, 0.3, 10, 1000, 26, 5000, 60, 1000);
        Pacing.Decision d = Pacing.predictive(braking);
        assertThat(d.dial()).isEqualTo(5);
        assertThat(d.reason()).startsWith("brake").contains("24 h 2.60 %");
        Pacing.Snapshot thirtyDays = new Pacing.Snapshot(5, none, 2, 0.3, 10, 1000, 0, 5000, 130, 1000);
        assertThat(Pacing.predictive(thirtyDays).reason()).startsWith("brake").contains("30 d 2.60 %");
        assertThat(Pacing.predictive(thirtyDays).dial()).isEqualTo(3);
        Pacing.Snapshot warm = new Pacing.Snapshot(4, none, 0, 0.3, 10, 5, 0, 5, 0, 5);
        assertThat(Pacing.predictive(warm).reason()).startsWith("warm-up");
        assertThat(Pacing.predictive(warm).dial()).isEqualTo(4);
        Pacing.Snapshot clean = new Pacing.Snapshot(4, none, 0, 0.3, 10, 1000, 0, 5000, 0, 1000);
        Pacing.Decision over = Pacing.predictive(clean);
        assertThat(over.dial()).as("over-dials with clean windows").isGreaterThan(4);
        assertThat(over.reason()).startsWith("pacing");
        Pacing.Snapshot nearer = new Pacing.Snapshot(4, none, 0, 0.3, 10, 1000, 20, 5000, 0, 1000);
        assertThat(Pacing.predictive(nearer).dial()).as("brakes before the cap: fewer calls as the rate rises").isLessThan(over.dial());
        Pacing.Snapshot nobody = new Pacing.Snapshot(0, none, 0, 0.3, 10, 1000, 0, 5000, 0, 1000);
        assertThat(Pacing.predictive(nobody).dial()).isZero();
        assertThat(Pacing.predictive(nobody).reason()).contains("no agent");
    }
}
