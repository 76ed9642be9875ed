package dev.hotline.report;

import java.util.Map;
import java.util.TreeMap;

/**
 * One agent's volume and efficiency over a period (RPT-2 agent report, RPT-3 occupancy and calls per hour).
 * Volume comes from the offers and queue visits, time in each state from {@code agent_event}.
 *
 * @param offered          queue calls offered to the agent's device
 * @param answered         offers the agent answered
 * @param missed           offers that rang out, were busy, refused or failed (RONA); offers withdrawn because the caller
 *                         left or another agent answered are not missed
 * @param transfers        transfers the agent made during answered queue calls
 * @param talkMs           talk time of the answered queue calls, without hold
 * @param holdMs           hold time of those calls
 * @param wrapMs           after-call work following those calls
 * @param signedInMs       time signed in (any state but logged out)
 * @param readyMs          time ready (idle, waiting for a call)
 * @param ringingMs        time a queue call rang the agent's device
 * @param onCallMs         time on a call (queue calls and the agent's own)
 * @param wrapUpMs         time in wrap-up (after-call work) as a state
 * @param notReadyMs       time not ready, all reasons
 * @param notReadyByReason time not ready per reason code
 */
public record AgentFigures(long offered, long answered, long missed, long transfers, long talkMs, long holdMs, long wrapMs,
                           long signedInMs, long readyMs, long ringingMs, long onCallMs, long wrapUpMs, long notReadyMs,
                           Map<String, Long> notReadyByReason) {

    public static final AgentFigures ZERO = new AgentFigures(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Map.of());

    public AgentFigures plus(AgentFigures o) {
        Map<String, Long> reasons = new TreeMap<>(notReadyByReason);
        o.notReadyByReason.forEach((k, v) -> reasons.merge(k, v, Long::sum));
        return new AgentFigures(offered + o.offered, answered + o.answered, missed + o.missed, transfers + o.transfers,
                talkMs + o.talkMs, holdMs + o.holdMs, wrapMs + o.wrapMs, signedInMs + o.signedInMs, readyMs + o.readyMs,
                ringingMs + o.ringingMs, onCallMs + o.onCallMs, wrapUpMs + o.wrapUpMs, notReadyMs + o.notReadyMs, reasons);
    }

    /** Occupancy: time on calls and after-call work ÷ (that + ready + ringing), i.e. busy with contacts ÷ available or busy. */
    public Double occupancy() {
        long busy = onCallMs + wrapUpMs;
        return QueueFigures.ratio(busy, busy + readyMs + ringingMs);
    }

    /** Calls per hour: answered ÷ hours signed in. */
    public Double callsPerHour() {
        return signedInMs <= 0 ? null : QueueFigures.round1(answered * 3_600_000.0 / signedInMs);
    }

    /** AHT of the agent's answered queue calls, seconds: (talk + hold + wrap-up) ÷ answered. */
    public Double ahtSeconds() {
        return answered == 0 ? null : QueueFigures.round1((talkMs + holdMs + wrapMs) / 1000.0 / answered);
    }
}
