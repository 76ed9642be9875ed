package dev.hotline.call;

import dev.hotline.acd.Acd;
import dev.hotline.acd.Device;
import dev.hotline.domain.DomainException;
import dev.hotline.engine.call.Target;
import dev.hotline.routing.OutboundPlan;
import dev.hotline.routing.RoutingData;
import java.util.Optional;

/** Whom a desk can call (AGENT-2): a colleague by job number or extension, an extension, or an outside number. */
final class Colleagues {
    private final RoutingData data;
    private final Acd acd;
    private final Devices devices;

    Colleagues(RoutingData data, Acd acd, Devices devices) {
        this.data = data;
        this.acd = acd;
        this.devices = devices;
    }

    /** The user behind a job number or extension of the enterprise, if any. */
    Optional<Long> userOf(long enterpriseId, String jobOrExtension) {
        var byExtension = data.userOfExtension(enterpriseId, jobOrExtension);
        if (byExtension.isPresent()) return byExtension;
        return acd.userOfJobNumber(enterpriseId, jobOrExtension);
    }

    /** Where {@code to} is reached for a consultation: a colleague's device or phone, an extension, or an outside number. */
    Target reach(long enterpriseId, String to, String ownExtension) {
        if (!data.knows(enterpriseId)) throw new IllegalStateException("enterprise " + enterpriseId + " is not routed");
        Optional<Long> colleague = userOf(enterpriseId, to);
        if (colleague.isPresent()) {
            var device = acd.agentView(enterpriseId, colleague.get()).filter(a -> a.device() != null)
                    .map(a -> new Device(Device.Kind.parse(a.device()).orElseThrow(), a.deviceNumber()));
            if (device.isPresent()) {
                var t = devices.target(enterpriseId, device.get());
                if (t.isPresent()) return t.get();
            }
            var ext = data.extensionOfUser(enterpriseId, colleague.get());
            if (ext.isPresent()) {
                var phone = data.registered(enterpriseId, ext.get());
                if (phone.isPresent()) return phone.get();
            }
            throw DomainException.conflict("that colleague cannot be reached now");
        }
        if (data.isExtension(enterpriseId, to)) {
            return data.registered(enterpriseId, to).orElseThrow(() -> DomainException.conflict("extension " + to + " is not registered"));
        }
        OutboundPlan plan = data.plan(enterpriseId, ownExtension, to);
        if (plan.refused()) throw refusal(plan);
        return plan.target();
    }

    /** An outside number that cannot be called: forbidden for this extension, or no route. */
    static DomainException refusal(OutboundPlan plan) {
        if (plan.status() == 503) return DomainException.unavailable("trunk_busy", plan.error()); // PBX-2: every channel in use
        return new DomainException(plan.status() == 403 ? DomainException.Kind.FORBIDDEN : DomainException.Kind.NOT_FOUND, plan.error());
    }
}
