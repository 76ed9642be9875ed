package dev.hotline.report;

/**
 * MEDIA-1: the media figures of one leg of a call at its end, as the engine measured them (what it received from the
 * party: packets, loss, interarrival jitter) and as the party's RTCP receiver reports told them (its loss and jitter
 * of what we sent, the round trip). The party's figures are null when it sent no RTCP.
 */
public record LegQuality(String channel, String codec, long packets, long lost, double lossPercent, double jitterMs,
                         long rtcpSent, long rtcpReceived, Double rttMs, Double remoteLossPercent, Double remoteJitterMs) {
}
