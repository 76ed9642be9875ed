package dev.hotline.routing;

import dev.hotline.engine.call.CallerId;
import dev.hotline.engine.call.DialRequest;
import dev.hotline.engine.call.Target;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * How an outside number is called (PBX-2/PBX-7): through which route and trunk, with which digits;
 * or why it cannot be ({@code error}, with the SIP status to refuse with).
 */
public record OutboundPlan(RoutingStore.OutboundRoute route, Trunk trunk, String number, String error, int status,
                           Target.TrunkAccount account) {

    static OutboundPlan refused(String error, int status) {
        return new OutboundPlan(null, null, null, error, status, null);
    }

    public boolean refused() {
        return error != null;
    }

    /** The call through the trunk, showing the route's caller ID, else the trunk's, else {@code fallback}. */
    public DialRequest request(Duration timeout, String fallback) {
        String cid = route.callerId() != null ? route.callerId() : trunk.callerId();
        if (cid == null) cid = fallback;
        DialRequest r = DialRequest.to(target()).withTimeout(timeout);
        return cid == null ? r : r.withCallerId(CallerId.of(cid));
    }

    public Target.Uri target() {
        return new Target.Uri(number, trunk.host(), trunk.port(), trunk.transport(), account, trunk.srtpMode());
    }

    /** How the leg is named in the call's events. */
    public String label() {
        return "trunk " + trunk.name() + " " + number;
    }

    /** PBX-2/PBX-7: for an extension that must be allowed to call out. */
    static OutboundPlan forExtension(RoutingSnapshot.Tenant t, String extension, String dialled, Predicate<Trunk> hasRoom) {
        var line = t.extensions().get(extension);
        if (line == null || !line.outboundAllowed()) return refused("extension " + extension + " may not call out", 403);
        return of(t, dialled, hasRoom);
    }

    /**
     * OUT-3: a campaign's own way out: trunk {@code trunkId} with the number as it is, or route {@code routeId} (its trunk and
     * digit rules, whatever its prefix). Refused when it is gone or disabled.
     */
    static OutboundPlan through(RoutingSnapshot.Tenant t, Long trunkId, Long routeId, String number, Predicate<Trunk> hasRoom) {
        if (!number.matches("\\+?[0-9*#]+")) return refused("not a number: " + number, 484);
        if (trunkId != null) {
            Trunk trunk = t.trunks().get(trunkId);
            if (trunk == null || !trunk.enabled()) return refused("trunk " + trunkId + " is gone or disabled", 503);
            if (!hasRoom.test(trunk)) return busy(trunk);
            return new OutboundPlan(null, trunk, number, null, 0, t.account(trunk));
        }
        RoutingStore.OutboundRoute r = t.routes().stream().filter(x -> routeId != null && x.id() == routeId).findFirst().orElse(null);
        if (r == null || !r.enabled()) return refused("outbound route " + routeId + " is gone or disabled", 503);
        Trunk trunk = t.trunks().get(r.trunkId());
        if (trunk == null || !trunk.enabled()) return refused("the trunk of route " + r.name() + " is gone or disabled", 503);
        if (!hasRoom.test(trunk)) return busy(trunk);
        String out = (r.addPrefix() == null ? "" : r.addPrefix()) + number.substring(Math.min(r.stripDigits(), number.length()));
        return new OutboundPlan(r, trunk, out, null, 0, t.account(trunk));
    }

    /** PBX-2: every channel of the trunk in use (RFC 3261 §21.5.4). */
    static OutboundPlan busy(Trunk trunk) {
        return refused("trunk " + trunk.name() + " has all its " + trunk.maxChannels() + " channels in use", 503);
    }

    /**
     * The first enabled route (by priority, then longest prefix) that takes the dialled number and whose trunk has a
     * channel free: a full trunk passes the call to the next route (PBX-2); all of them full is 503.
     */
    static OutboundPlan of(RoutingSnapshot.Tenant t, String dialled, Predicate<Trunk> hasRoom) {
        Trunk full = null;
        for (RoutingStore.OutboundRoute r : t.routes()) {
            if (!r.enabled()) continue;
            String number = dialled;
            if (r.hasPin()) {
                String pin = t.routePins().getOrDefault(r.id(), "");
                if (!number.startsWith(pin + "*")) continue; // PBX-7: PIN-restricted routes are dialled as PIN*number
                number = number.substring(pin.length() + 1);
            }
            if (!number.startsWith(r.prefix()) || !number.matches("[0-9+*#]+")) continue;
            Trunk trunk = t.trunks().get(r.trunkId());
            if (trunk == null || !trunk.enabled()) continue;
            if (!hasRoom.test(trunk)) {
                if (full == null) full = trunk;
                continue;
            }
            String out = (r.addPrefix() == null ? "" : r.addPrefix()) + number.substring(Math.min(r.stripDigits(), number.length()));
            return new OutboundPlan(r, trunk, out, null, 0, t.account(trunk));
        }
        if (full != null) return busy(full);
        return refused("no outbound route for " + dialled, 404);
    }
}
