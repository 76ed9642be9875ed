package dev.hotline.call;

import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.Channel;
import dev.hotline.routing.RoutingData;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Takes an agent's leg out of its bridge and waits (3 s at most) for the engine to confirm it. */
public final class LegSplitter {
    private final RoutingData data;
    private final Map<String, CompletableFuture<Void>> unbridging = new ConcurrentHashMap<>();

    public LegSplitter(RoutingData data) {
        this.data = data;
    }

    /** Unbridges {@code agent}; {@code failure} names what failed in the exception when the engine does not confirm in time. */
    public void split(Channel agent, String failure) {
        var done = new CompletableFuture<Void>();
        unbridging.put(agent.id(), done);
        data.engine().unbridge(agent);
        try {
            done.get(3, TimeUnit.SECONDS);
        } catch (Exception e) {
            unbridging.remove(agent.id());
            throw new IllegalStateException(failure + ": " + e);
        }
    }

    public void onEvent(CallEvent event) {
        if (event instanceof CallEvent.ChannelUnbridged u) {
            var waiter = unbridging.remove(u.channelId());
            if (waiter != null) waiter.complete(null);
        }
    }
}
