package dev.hotline.engine.call;

/**
 * RTP received by the legs that ended since the engine started (OPS-4): how many ended, how many received audio, their
 * packets received and lost (RFC 3550 §6.4.1 counting), and the sum of their last interarrival jitter in milliseconds
 * (divided by {@code legsWithAudio}: the mean).
 */
public record MediaStats(long legsEnded, long legsWithAudio, long packetsIn, long packetsLost, double jitterMsSum) {}
