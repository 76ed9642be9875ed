package dev.hotline.campaign;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * A seeded discrete-event simulation of one campaign driving the real {@link Pacing} (OUT-1): a population that answers
 * in person, by machine, is busy or does not answer; agents who talk and wrap up; answering-machine detection that
 * misses some machines (those go to agents like people, and count as abandons when none takes them within 2 s). The
 * dialer measures what the real one would (answer rate, time to answer, handle time, both abandon windows) and asks
 * the pacing for a decision after every event and every second.
 */
public final class DialerSimulation {

    /** The population and the floor. */
    public record Params(long seed, int agents, double hours, double pPerson, double pMachine, double pBusy, double amdMiss,
                         double talkMinSec, double talkMeanExtraSec, double wrapSec, double ringSec) {
        public static Params defaults(long seed) {
            return new Params(seed, 20, 72, 0.30, 0.12, 0.08, 0.05, 30, 150, 10, 25);
        }
    }

    /** The figures of one run. */
    public record Result(String mode, long dials, long personAnswers, long abandons, double abandonRate, double maxAbandonRate24h,
                         double agentIdleShare, double connectsPerAgentHour, double meanLevel, Map<String, Long> reasons) {
        public String json() {
            StringBuilder r = new StringBuilder("{");
            reasons.forEach((k, v) -> r.append(r.length() > 1 ? ", " : "").append('"').append(k).append("\": ").append(v));
            r.append('}');
            return String.format(Locale.ROOT, "{\"mode\": \"%s\", \"dials\": %d, \"personAnswers\": %d, \"abandons\": %d, "
                            + "\"abandonRate\": %.4f, \"maxAbandonRate24h\": %.4f, \"agentIdleShare\": %.4f, \"connectsPerAgentHour\": %.2f, "
                            + "\"meanDialLevel\": %.3f, \"decisionReasons\": %s}", mode, dials, personAnswers, abandons, abandonRate,
                    maxAbandonRate24h, agentIdleShare, connectsPerAgentHour, meanLevel, r);
        }
    }

    private enum Kind { ANSWER_PERSON, ANSWER_MACHINE, BUSY, NO_ANSWER, AGENT_FREE, WAIT_DEADLINE, TICK }

    private record Event(double at, Kind kind, int ref) {}

    private final Params p;
    private final boolean predictive;
    private final Random rnd;
    private final PriorityQueue<Event> events = new PriorityQueue<>((a, b) -> Double.compare(a.at, b.at));
    private final double[] busyUntil;
    private final double[] busyStart;
    private final boolean[] busy;
    private final ArrayDeque<Integer> waiting = new ArrayDeque<>(); // answered calls waiting for an agent
    private final Map<Integer, Double> waitingSince = new LinkedHashMap<>();
    private final Map<Integer, Double> dialledAt = new LinkedHashMap<>();
    private final AbandonWindows windows = new AbandonWindows();
    private final List<double[]> answerLog = new ArrayList<>(); // (time, abandoned)
    private final ArrayDeque<Integer> recentOutcomes = new ArrayDeque<>(); // 1 person, 0 other
    private final ArrayDeque<Double> recentDelays = new ArrayDeque<>();
    private final ArrayDeque<Double> recentHandles = new ArrayDeque<>();
    private final Map<String, Long> reasons = new LinkedHashMap<>();
    private int inFlight;
    private int nextCall;
    private long dials;
    private long personAnswers;
    private long abandons;
    private long connects;
    private long measuredAnswers;
    private double idleTime;
    private double lastAt;
    private double levelSum;
    private long levelCount;

    private DialerSimulation(Params p, boolean predictive) {
        this.p = p;
        this.predictive = predictive;
        this.rnd = new Random(p.seed());
        this.busyUntil = new double[p.agents()];
        this.busyStart = new double[p.agents()];
        this.busy = new boolean[p.agents()];
    }

    public static Result run(Params p, boolean predictive) {
        return new DialerSimulation(p, predictive).simulate();
    }

    private Result simulate() {
        double end = p.hours() * 3600;
        events.add(new Event(0, Kind.TICK, -1));
        while (!events.isEmpty()) {
            Event e = events.poll();
            if (e.at() > end) break;
            advance(e.at());
            handle(e);
            pace(e.at());
        }
        advance(end);
        double agentHours = p.agents() * p.hours();
        return new Result(predictive ? "predictive" : "progressive", dials, personAnswers, abandons,
                personAnswers == 0 ? 0 : abandons / (double) personAnswers, maxRate24h(end), idleTime / (agentHours * 3600),
                connects / agentHours, levelCount == 0 ? 0 : levelSum / levelCount, reasons);
    }

    private void advance(double t) {
        int idle = 0;
        for (boolean b : busy) if (!b) idle++;
        idleTime += idle * (t - lastAt);
        lastAt = t;
    }

    private void handle(Event e) {
        switch (e.kind()) {
            case TICK -> events.add(new Event(e.at() + 1, Kind.TICK, -1));
            case BUSY, NO_ANSWER -> {
                inFlight--;
                dialledAt.remove(e.ref());
                remember(recentOutcomes, 0, 500);
            }
            case ANSWER_MACHINE -> {
                // Detected as a machine after ~3 s and hung up (action hangup): not a person answer.
                inFlight--;
                dialledAt.remove(e.ref());
                remember(recentOutcomes, 0, 500);
            }
            case ANSWER_PERSON -> {
                inFlight--;
                double delay = e.at() - dialledAt.remove(e.ref());
                remember(recentOutcomes, 1, 500);
                remember(recentDelays, delay, 200);
                measuredAnswers++;
                personAnswers++;
                int agent = freeAgent();
                if (agent >= 0) {
                    connect(agent, e.at(), e.ref());
                } else {
                    waiting.addLast(e.ref());
                    waitingSince.put(e.ref(), e.at());
                    events.add(new Event(e.at() + 2, Kind.WAIT_DEADLINE, e.ref()));
                }
            }
            case WAIT_DEADLINE -> {
                if (waitingSince.remove(e.ref()) != null) {
                    waiting.remove(e.ref());
                    abandons++;
                    windows.answered(ms(e.at()), true);
                    answerLog.add(new double[] {e.at(), 1});
                }
            }
            case AGENT_FREE -> {
                busy[e.ref()] = false;
                while (!waiting.isEmpty()) {
                    int call = waiting.removeFirst();
                    if (waitingSince.remove(call) != null) {
                        connect(e.ref(), e.at(), call);
                        break;
                    }
                }
            }
        }
    }

    /** A person (or a machine taken for one) reaches an agent: talk (a missed machine: 10 s) then wrap-up. */
    private void connect(int agent, double at, int call) {
        boolean missedMachine = call < 0;
        double talk = missedMachine ? 10 : p.talkMinSec() - Math.log(1 - rnd.nextDouble()) * p.talkMeanExtraSec();
        double handle = talk + p.wrapSec();
        busy[agent] = true;
        busyUntil[agent] = at + handle;
        busyStart[agent] = at;
        remember(recentHandles, handle, 200);
        connects++;
        windows.answered(ms(at), false);
        answerLog.add(new double[] {at, 0});
        events.add(new Event(at + handle, Kind.AGENT_FREE, agent));
    }

    private int freeAgent() {
        for (int i = 0; i < busy.length; i++) if (!busy[i]) return i;
        return -1;
    }

    private void pace(double now) {
        int ready = 0;
        for (boolean b : busy) if (!b) ready++;
        // Agents already promised to a caller waiting for one are not ready.
        ready = Math.max(0, ready - waiting.size());
        double meanHandle = mean(recentHandles, p.talkMinSec() + p.talkMeanExtraSec() + p.wrapSec());
        double answerRate = recentOutcomes.isEmpty() ? 0 : recentOutcomes.stream().mapToInt(Integer::intValue).sum() / (double) recentOutcomes.size();
        AbandonWindows.Counts c = windows.counts(ms(now));
        Pacing.Snapshot s = new Pacing.Snapshot(ready, expectedRemaining(now, meanHandle), inFlight, answerRate, mean(recentDelays, 12),
                c.answers24h(), c.abandons24h(), c.answers30d(), c.abandons30d(), measuredAnswers);
        Pacing.Decision d = predictive ? Pacing.predictive(s) : Pacing.progressive(s, "progressive: one call per ready agent");
        reasons.merge(d.reason().replaceAll(":.*", ""), 1L, Long::sum);
        levelSum += d.level();
        levelCount++;
        for (int i = 0; i < d.dial(); i++) dial(now);
    }

    /**
     * What the real dialer knows: how long each busy agent's call has lasted, against the mean handle time measured. A
     * call past the mean is expected to go on for half the mean again (the dialer does not know when a call ends).
     */
    private double[] expectedRemaining(double now, double meanHandle) {
        List<Double> r = new ArrayList<>();
        for (int i = 0; i < busy.length; i++) {
            if (!busy[i]) continue;
            double left = meanHandle - (now - busyStart[i]);
            r.add(left > 0 ? left : meanHandle / 2);
        }
        return r.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private void dial(double now) {
        int call = nextCall++;
        dials++;
        inFlight++;
        dialledAt.put(call, now);
        double u = rnd.nextDouble();
        double answerAfter = 4 + rnd.nextDouble() * 16;
        if (u < p.pPerson()) {
            events.add(new Event(now + answerAfter, Kind.ANSWER_PERSON, call));
        } else if (u < p.pPerson() + p.pMachine()) {
            // A machine: AMD misses some and passes them on as people (the simulation marks them with a negative ref).
            if (rnd.nextDouble() < p.amdMiss()) {
                dialledAt.put(-call - 1, now);
                dialledAt.remove(call);
                events.add(new Event(now + answerAfter + 3, Kind.ANSWER_PERSON, -call - 1));
            } else {
                events.add(new Event(now + answerAfter + 3, Kind.ANSWER_MACHINE, call));
            }
        } else if (u < p.pPerson() + p.pMachine() + p.pBusy()) {
            events.add(new Event(now + 2, Kind.BUSY, call));
        } else {
            events.add(new Event(now + p.ringSec(), Kind.NO_ANSWER, call));
        }
    }

    private double maxRate24h(double end) {
        double worst = 0;
        double[][] log = answerLog.toArray(double[][]::new);
        Arrays.sort(log, (a, b) -> Double.compare(a[0], b[0]));
        for (double t = 24 * 3600; t <= Math.max(end, 24 * 3600); t += 600) {
            long n = 0;
            long a = 0;
            for (double[] e : log) {
                if (e[0] > t - 24 * 3600 && e[0] <= t) {
                    n++;
                    a += (long) e[1];
                }
            }
            if (n > 0) worst = Math.max(worst, a / (double) n);
        }
        return worst;
    }

    private static <T> void remember(ArrayDeque<T> q, T v, int max) {
        q.addLast(v);
        if (q.size() > max) q.removeFirst();
    }

    private static double mean(ArrayDeque<Double> q, double dflt) {
        return q.isEmpty() ? dflt : q.stream().mapToDouble(Double::doubleValue).average().orElse(dflt);
    }

    private static long ms(double sec) {
        return (long) (sec * 1000);
    }

    /** bench/run-dialer-sim.sh: {@code seed agents hours}; one JSON document with both modes on stdout. */
    public static void main(String[] args) {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 1;
        Params d = Params.defaults(seed);
        int agents = args.length > 1 ? Integer.parseInt(args[1]) : d.agents();
        double hours = args.length > 2 ? Double.parseDouble(args[2]) : d.hours();
        Params p = new Params(seed, agents, hours, d.pPerson(), d.pMachine(), d.pBusy(), d.amdMiss(), d.talkMinSec(), d.talkMeanExtraSec(),
                d.wrapSec(), d.ringSec());
        Result prog = run(p, false);
        Result pred = run(p, true);
        System.out.println(String.format(Locale.ROOT, "{\"params\": {\"seed\": %d, \"agents\": %d, \"hours\": %.1f, \"pPerson\": %.2f, "
                        + "\"pMachine\": %.2f, \"pBusy\": %.2f, \"amdMiss\": %.2f, \"talkSec\": \"%.0f + exp(%.0f)\", \"wrapSec\": %.0f, "
                        + "\"ringSec\": %.0f},\n \"progressive\": %s,\n \"predictive\": %s}", seed, agents, hours, p.pPerson(), p.pMachine(),
                p.pBusy(), p.amdMiss(), p.talkMinSec(), p.talkMeanExtraSec(), p.wrapSec(), p.ringSec(), prog.json(), pred.json()));
    }
}
