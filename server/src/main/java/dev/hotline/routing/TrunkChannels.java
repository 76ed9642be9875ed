package dev.hotline.routing;

import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.Direction;
import dev.hotline.engine.call.Target;
import dev.hotline.engine.call.TelephonyEngine;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A trunk's channel limit (PBX-2; a carrier sells so many channels, and anything above is refused by it or billed):
 * the legs in use are counted from the engine's live channels, outbound ones by where they were dialled (the trunk's
 * host and port) and inbound ones from the trunk's calls noted at their arrival, both directions together. Counted
 * only for trunks with a limit, so an unlimited trunk costs nothing on the call path.
 */
final class TrunkChannels {
    /** Inbound legs that arrived over a limited trunk: channel id → trunk id. */
    private final Map<String, Long> inbound = new ConcurrentHashMap<>();

    int inUse(TelephonyEngine engine, Trunk trunk) {
        int n = 0;
        for (Channel c : engine.channels()) {
            if (c.direction() == Direction.OUTBOUND) {
                if (c.target().orElse(null) instanceof Target.Uri u && u.port() == trunk.port() && u.host().equalsIgnoreCase(trunk.host())) n++;
            } else {
                Long id = inbound.get(c.id());
                if (id != null && id == trunk.id()) n++;
            }
        }
        return n;
    }

    boolean hasRoom(TelephonyEngine engine, Trunk trunk) {
        return trunk.maxChannels() <= 0 || inUse(engine, trunk) < trunk.maxChannels();
    }

    /** Takes a channel of the trunk for an inbound leg; false when all are in use. */
    synchronized boolean takeInbound(TelephonyEngine engine, Trunk trunk, String channelId) {
        if (trunk.maxChannels() <= 0) return true;
        if (inUse(engine, trunk) >= trunk.maxChannels()) return false;
        inbound.put(channelId, trunk.id());
        return true;
    }

    void ended(String channelId) {
        if (!inbound.isEmpty()) inbound.remove(channelId);
    }
}
