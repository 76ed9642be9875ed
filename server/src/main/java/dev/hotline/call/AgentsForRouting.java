package dev.hotline.call;

import dev.hotline.acd.Acd;
import dev.hotline.acd.FeatureCodes;
import dev.hotline.cti.CtiHub;
import dev.hotline.engine.call.Channel;
import dev.hotline.routing.CallBook.Call;
import dev.hotline.routing.CallRouter;
import java.util.Optional;
import java.util.function.Predicate;

/** What routing asks of the ACD and the agents' desks: queue entry, agents busy on their own calls, feature codes. */
public final class AgentsForRouting implements CallRouter.Agents {
    private final Acd acd;
    private final CtiHub cti;

    public AgentsForRouting(Acd acd, CtiHub cti) {
        this.acd = acd;
        this.cti = cti;
    }

    @Override
    public boolean enqueue(long enterpriseId, String callId, Channel caller, String queue, int priority, boolean transferred) {
        return acd.enqueue(enterpriseId, callId, caller, caller.caller().user(), queue, priority, transferred);
    }

    @Override
    public void busy(long enterpriseId, long userId, String callId, String legId) {
        acd.busy(enterpriseId, userId, callId, legId);
    }

    @Override
    public void directCall(Call c, Channel leg, long userId) {
        acd.busy(c.enterpriseId(), userId, c.callId(), leg.id());
        if (cti.watching(userId)) {
            cti.expectLeg(leg.id());
            cti.ownCall(c.enterpriseId(), userId, c.callId(), leg.id(), c.direction(), c.tracker().inboundCaller());
        }
    }

    @Override
    public Optional<CallRouter.PickedOffer> pickupOffer(long enterpriseId, Predicate<String> ringing, Channel picker, String pickerExtension,
                                                        Long pickerUserId) {
        return acd.pickup(enterpriseId, ringing, picker, pickerExtension, pickerUserId)
                .map(p -> new CallRouter.PickedOffer(p.callId(), p.offerLegId(), p.extension()));
    }

    @Override
    public boolean offerRinging(long enterpriseId, Predicate<String> ringing, Long pickerUserId) {
        return acd.offerRinging(enterpriseId, ringing, pickerUserId);
    }

    @Override
    public boolean isFeatureCode(String dialled) {
        return FeatureCodes.matches(dialled);
    }

    @Override
    public void featureCode(long enterpriseId, long userId, String dialled) {
        FeatureCodes.apply(acd, enterpriseId, userId, dialled);
    }
}
