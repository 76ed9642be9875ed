package dev.hotline.routing;

import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.TelephonyEngine;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Trunk channel limits (PBX-2; a carrier sells so many channels, and anything above is refused by it or billed): each
 * trunk's own limit and the enterprise's limit over all its trunks, both directions together. A leg takes a channel
 * when it starts (an inbound one on arrival, an outbound one when the engine asks {@link #takeOutbound} just before its
 * INVITE, the leg already among the engine's channels), under one lock, so two calls choosing the last channel at the
 * same instant cannot both take it. A channel is held while its leg lives in the engine: legs that ended are dropped
 * as they are found, so a lost hang-up cannot leak one. Nothing is held for trunks and enterprises without a limit.
 */
final class TrunkChannels {
    /** A channel held by a live leg. */
    private record Held(long enterpriseId, long trunkId) {}

    /** Why a leg was refused: the limit that is full. */
    record Full(String reason) {}

    private final Map<String, Held> held = new ConcurrentHashMap<>();

    /** Legs holding a channel of the trunk ({@code trunkId}) or, with {@code trunkId} null, of the enterprise. */
    private int inUse(TelephonyEngine engine, long enterpriseId, Long trunkId) {
        int n = 0;
        for (var e : held.entrySet()) {
            Optional<Channel> ch = engine.channel(e.getKey());
            if (ch.isEmpty() || ch.get().state().isFinal()) {
                held.remove(e.getKey());
                continue;
            }
            Held h = e.getValue();
            if (h.enterpriseId() == enterpriseId && (trunkId == null || h.trunkId() == trunkId)) n++;
        }
        return n;
    }

    /** The enterprise's limit, when a new trunk leg would pass it. */
    synchronized Optional<Full> enterpriseFull(TelephonyEngine engine, long enterpriseId, int enterpriseMax) {
        if (enterpriseMax > 0 && inUse(engine, enterpriseId, null) >= enterpriseMax) {
            return Optional.of(new Full("the enterprise has all its " + enterpriseMax + " trunk channels in use"));
        }
        return Optional.empty();
    }

    /** The limit that a new leg over {@code trunk} would pass, if any (a quick look: {@link #take} decides). */
    synchronized Optional<Full> full(TelephonyEngine engine, long enterpriseId, int enterpriseMax, Trunk trunk) {
        Optional<Full> enterprise = enterpriseFull(engine, enterpriseId, enterpriseMax);
        if (enterprise.isPresent()) return enterprise;
        if (trunk.maxChannels() > 0 && inUse(engine, enterpriseId, trunk.id()) >= trunk.maxChannels()) {
            return Optional.of(new Full("trunk " + trunk.name() + " has all its " + trunk.maxChannels() + " channels in use"));
        }
        return Optional.empty();
    }

    /** Takes a channel of {@code trunk} for leg {@code channelId} (in or out); the full limit when there is none. */
    synchronized Optional<Full> take(TelephonyEngine engine, long enterpriseId, int enterpriseMax, Trunk trunk, String channelId) {
        if (enterpriseMax <= 0 && trunk.maxChannels() <= 0) return Optional.empty();
        Optional<Full> full = full(engine, enterpriseId, enterpriseMax, trunk);
        if (full.isEmpty()) held.put(channelId, new Held(enterpriseId, trunk.id()));
        return full;
    }

    void ended(String channelId) {
        if (!held.isEmpty()) held.remove(channelId);
    }
}
