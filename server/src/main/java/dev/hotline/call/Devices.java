package dev.hotline.call;

import dev.hotline.acd.Device;
import dev.hotline.engine.call.Target;
import dev.hotline.engine.call.WebRtcConnection;
import dev.hotline.routing.OutboundPlan;
import dev.hotline.routing.RoutingData;
import java.util.Optional;

/** Where an agent's device is called: their registered phone, their browser, or an outside number through the outbound routes. */
public final class Devices {
    private final RoutingData data;

    public Devices(RoutingData data) {
        this.data = data;
    }

    /** Empty when the device cannot be called now (not registered, browser not connected, no route). */
    public Optional<Target> target(long enterpriseId, Device device) {
        if (device.kind() == Device.Kind.EXTERNAL) {
            if (!data.knows(enterpriseId)) return Optional.empty();
            OutboundPlan plan = data.plan(enterpriseId, device.number());
            if (plan.refused()) return Optional.empty();
            return Optional.of(plan.target());
        }
        if (device.kind() == Device.Kind.WEBRTC) {
            // The browser phone: reachable while its connection is up (a reload reconnects under the same key).
            return data.engine().webRtcConnection(device.number()).filter(WebRtcConnection::connected)
                    .map(x -> new Target.WebRtc(device.number()));
        }
        return data.registered(enterpriseId, device.number()).map(t -> t);
    }
}
