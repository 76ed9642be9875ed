package dev.hotline.engine.sdp;

import java.util.List;
import java.util.Optional;

/**
 * The audio stream of a session description, reduced to what the engine relays:
 * where to send RTP and RTCP, which payload formats are offered, and the direction.
 */
public record MediaDescription(
        String address,
        int port,
        int rtcpPort,
        boolean rtcpMux,
        List<PayloadType> payloads,
        MediaDirection direction,
        int ptime,
        boolean savp,
        List<SdesCrypto> cryptos) {

    public MediaDescription {
        payloads = List.copyOf(payloads);
        cryptos = List.copyOf(cryptos);
    }

    /** An RTP/AVP stream without SDES keys. */
    public MediaDescription(String address, int port, int rtcpPort, boolean rtcpMux, List<PayloadType> payloads,
                            MediaDirection direction, int ptime) {
        this(address, port, rtcpPort, rtcpMux, payloads, direction, ptime, false, List.of());
    }

    /** The first usable a=crypto line (RFC 4568 §7.1.1: in the offerer's order of preference). */
    public Optional<SdesCrypto> crypto() {
        return cryptos.isEmpty() ? Optional.empty() : Optional.of(cryptos.get(0));
    }

    /** The a=crypto line answering our offer's {@code tag} (RFC 4568 §7.1.3), if any. */
    public Optional<SdesCrypto> crypto(int tag) {
        return cryptos.stream().filter(c -> c.tag() == tag).findFirst();
    }

    /** The first offered G.711 format, in the offerer's order of preference. */
    public Optional<PayloadType> firstG711() {
        return payloads.stream().filter(PayloadType::isG711).findFirst();
    }

    /** The first offered format the engine speaks (G.711, G.722, Opus), in the offerer's order of preference. */
    public Optional<PayloadType> firstSupported() {
        return payloads.stream().filter(PayloadType::isSupportedAudio).findFirst();
    }

    /** The telephone-event format of {@code audio}'s clock rate (RFC 4733 §2.1), else the first one offered. */
    public Optional<PayloadType> telephoneEvent(PayloadType audio) {
        Optional<PayloadType> same = find(p -> p.isTelephoneEvent() && audio != null && p.clockRate() == audio.clockRate());
        return same.isPresent() ? same : telephoneEvent();
    }

    public Optional<PayloadType> find(java.util.function.Predicate<PayloadType> p) {
        return payloads.stream().filter(p).findFirst();
    }

    public Optional<PayloadType> telephoneEvent() {
        return find(PayloadType::isTelephoneEvent);
    }

    /** Hold per RFC 3264 §8.4: sendonly/inactive, or the legacy c=0.0.0.0 form (RFC 2543). */
    public boolean isHold() {
        return direction.isHold() || "0.0.0.0".equals(address);
    }

    public MediaDescription withDirection(MediaDirection d) {
        return new MediaDescription(address, port, rtcpPort, rtcpMux, payloads, d, ptime, savp, cryptos);
    }
}
