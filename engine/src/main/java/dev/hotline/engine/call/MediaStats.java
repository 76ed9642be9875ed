package dev.hotline.engine.call;

/**
 * RTP received by the legs that ended since the engine started (OPS-4): how many ended, how many received audio, their
 * packets received and lost (RFC 3550 §6.4.1 counting), and the sum of their last interarrival jitter in milliseconds
 * (divided by {@code legsWithAudio}: the mean); and the same of the legs up now ({@code live*}: their packets so far).
 */
public record MediaStats(long legsEnded, long legsWithAudio, long packetsIn, long packetsLost, double jitterMsSum,
                         long liveLegs, long liveLegsWithAudio, long livePacketsIn, long livePacketsLost, double liveJitterMsSum) {
    public MediaStats(long legsEnded, long legsWithAudio, long packetsIn, long packetsLost, double jitterMsSum) {
        this(legsEnded, legsWithAudio, packetsIn, packetsLost, jitterMsSum, 0, 0, 0, 0, 0);
    }
}
