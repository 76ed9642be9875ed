package dev.hotline.report;

/**
 * The counts and sums of queue calls that every queue KPI is computed from (RPT-3), in one place, and the KPIs.
 * Definitions follow Amazon Connect's historical metrics where one exists; {@code docs/reports.md} and the console's
 * glossary give the same formulas.
 *
 * <p>Every queue visit (a call joining a queue) is counted once in {@link #offered} and ends in exactly one of
 * answered, abandoned, overflowed, voicemail, callback or still waiting, so {@link #reconciles()} always holds, and the
 * figures of several queues or periods add up with {@link #plus}.
 *
 * @param offered          calls that joined the queue (Amazon Connect: contacts queued)
 * @param answered         connected to an agent (contacts handled incoming)
 * @param answeredInTarget answered within the queue's service level target X seconds of joining
 * @param abandoned        the caller hung up before an agent answered, short abandons included (contacts abandoned);
 *                         a caller who asked for a callback is not abandoned
 * @param shortAbandoned   of those, the callers who hung up within the queue's short abandon threshold (shown apart)
 * @param abandonedRinging of the abandoned, those who hung up while an agent's phone rang
 * @param overflowed       sent on by the queue (max wait, queue full, nobody logged in)
 * @param voicemail        left the queue by key for its voicemail
 * @param callback         left the queue by key asking for a callback (contacts queued for callback)
 * @param waiting          still waiting now
 * @param answerWaitMs     total wait of the answered calls (ASA's numerator)
 * @param abandonWaitMs    total wait of the abandoned calls
 * @param longestWaitMs    the longest wait of any call that left the queue (answered or not)
 * @param talkMs           agents' talk time with the answered calls, without hold
 * @param holdMs           time the answered calls were on hold
 * @param wrapMs           agents' after-call work (wrap-up) following the answered calls
 * @param transfers        transfers made by the agents during answered calls
 */
public record QueueFigures(long offered, long answered, long answeredInTarget, long abandoned, long shortAbandoned,
                           long abandonedRinging, long overflowed, long voicemail, long callback, long waiting, long answerWaitMs,
                           long abandonWaitMs, long longestWaitMs, long talkMs, long holdMs, long wrapMs, long transfers) {

    public static final QueueFigures ZERO = new QueueFigures(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public QueueFigures plus(QueueFigures o) {
        return new QueueFigures(offered + o.offered, answered + o.answered, answeredInTarget + o.answeredInTarget,
                abandoned + o.abandoned, shortAbandoned + o.shortAbandoned, abandonedRinging + o.abandonedRinging,
                overflowed + o.overflowed, voicemail + o.voicemail, callback + o.callback, waiting + o.waiting,
                answerWaitMs + o.answerWaitMs, abandonWaitMs + o.abandonWaitMs, Math.max(longestWaitMs, o.longestWaitMs),
                talkMs + o.talkMs, holdMs + o.holdMs, wrapMs + o.wrapMs, transfers + o.transfers);
    }

    /** offered = answered + abandoned + overflowed + voicemail + callback + still waiting. */
    public boolean reconciles() {
        return offered == answered + abandoned + overflowed + voicemail + callback + waiting
                && shortAbandoned <= abandoned && abandonedRinging <= abandoned && answeredInTarget <= answered;
    }

    /** Service level X: answered within X seconds ÷ offered (null when nothing was offered). */
    public Double serviceLevel() {
        return ratio(answeredInTarget, offered);
    }

    /** Answer rate: answered ÷ offered. */
    public Double answerRate() {
        return ratio(answered, offered);
    }

    /** Abandon rate: abandoned ÷ offered (callbacks are not abandons). */
    public Double abandonRate() {
        return ratio(abandoned, offered);
    }

    /** Abandon rate without short abandons: (abandoned − short) ÷ (offered − short). */
    public Double abandonRateExcludingShort() {
        return ratio(abandoned - shortAbandoned, offered - shortAbandoned);
    }

    /** ASA, average speed of answer, seconds: total wait of answered calls ÷ answered. */
    public Double asaSeconds() {
        return answered == 0 ? null : round1(answerWaitMs / 1000.0 / answered);
    }

    /** AHT, average handle time, seconds: (talk + hold + wrap-up) ÷ answered. */
    public Double ahtSeconds() {
        return answered == 0 ? null : round1((talkMs + holdMs + wrapMs) / 1000.0 / answered);
    }

    /** Average time to abandon, seconds: total wait of abandoned calls ÷ abandoned. */
    public Double avgAbandonSeconds() {
        return abandoned == 0 ? null : round1(abandonWaitMs / 1000.0 / abandoned);
    }

    static Double ratio(long part, long whole) {
        return whole <= 0 ? null : Math.round(10000.0 * part / whole) / 10000.0;
    }

    public static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
