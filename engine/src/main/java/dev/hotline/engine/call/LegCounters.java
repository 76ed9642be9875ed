package dev.hotline.engine.call;

/** A snapshot of one leg's RTP counters as seen by the engine (RTCP packets are not counted). */
public record LegCounters(long packetsIn, long bytesIn, long packetsOut, long bytesOut, long packetsLost,
                          long packetsDropped) {
    public static final LegCounters ZERO = new LegCounters(0, 0, 0, 0, 0, 0);
}
