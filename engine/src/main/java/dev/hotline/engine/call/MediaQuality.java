package dev.hotline.engine.call;

/**
 * The quality of one leg's media as the engine measured it and as RTCP told it (RFC 3550 §6.4), at the
 * moment it is read: what we received from the party (packets, cumulative loss, interarrival jitter) and
 * what the party's receiver reports said of what we sent (its last fraction lost, its cumulative loss and
 * jitter) with the round trip derived from them (LSR/DLSR). The figures the party did not report are
 * null: a phone that sends no RTCP gives no round trip.
 *
 * @param codec          the negotiated audio encoding (e.g. PCMU, G722, opus), null before negotiation
 * @param packetsExpected packets the sequence numbers say were sent to us
 * @param packetsLost    expected minus received (never below 0)
 * @param lossPercent    {@code packetsLost} of {@code packetsExpected}, in percent
 * @param jitterMs       our interarrival jitter estimate of the party's stream
 * @param rtcpSent       RTCP reports we sent on the leg
 * @param rtcpReceived   RTCP reports (SR or RR) the party sent us
 */
public record MediaQuality(String codec, long packetsReceived, long packetsExpected, long packetsLost, double lossPercent,
                           double jitterMs, long rtcpSent, long rtcpReceived, Double remoteLossPercent,
                           Long remoteCumulativeLost, Double remoteJitterMs, Double rttMs) {
    public static final MediaQuality NONE = new MediaQuality(null, 0, 0, 0, 0, 0, 0, 0, null, null, null, null);
}
