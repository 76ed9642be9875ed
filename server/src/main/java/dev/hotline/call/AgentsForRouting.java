package dev.hotline.call;

import dev.hotline.acd.Acd;
import dev.hotline.acd.AgentState;
import dev.hotline.acd.AgentView;
import dev.hotline.acd.FeatureCodes;
import dev.hotline.cti.CallView;
import dev.hotline.cti.CtiHub;
import dev.hotline.domain.DomainException;
import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.routing.CallBook.Call;
import dev.hotline.routing.CallRouter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What routing asks of the ACD and the agents' desks: queue entry, agents busy on their own calls, feature codes. */
public final class AgentsForRouting implements CallRouter.Agents {
    private static final Logger log = LoggerFactory.getLogger(AgentsForRouting.class);
    private final Acd acd;
    private final CtiHub cti;

    /** A phone's blind transfer to a colleague, waiting for the engine to take the caller off the referrer. */
    private record Referred(Call call, Channel referrer, Channel transferee, long colleague, Acd.Transfer from, Runnable otherwise) {}

    /** Referred transfers by the transferee's leg, until it is unbridged (or ends). */
    private final Map<String, Referred> referred = new ConcurrentHashMap<>();

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
    public boolean referToColleague(Call c, Channel referrer, Channel transferee, long colleague, Runnable otherwise) {
        long e = c.enterpriseId();
        Optional<AgentView> target = acd.agentView(e, colleague);
        if (target.isEmpty() || target.get().state() != AgentState.READY || target.get().device() == null
                || Boolean.FALSE.equals(target.get().deviceReachable())) {
            return false;
        }
        // The transferring agent as their desk knows the call: job number, name and notes travel with it (AGENT-5).
        Optional<CallView> mine = cti.deskCall(referrer.id());
        Acd.Transfer from = mine.flatMap(v -> acd.agentView(e, v.userId()).map(a -> new Acd.Transfer(a.userId(), a.jobNumber(), a.name(), v.notes())))
                .orElse(new Acd.Transfer(0, null, null, null));
        referred.put(transferee.id(), new Referred(c, referrer, transferee, colleague, from, otherwise));
        return true;
    }

    /**
     * Call events (followed through the switchboard): a referred caller taken off the referrer is handed to the ACD (the
     * referrer, told the transfer succeeded, is hung up); gone before that, forgotten.
     */
    public void onEvent(CallEvent event) {
        if (event instanceof CallEvent.ChannelHungUp) {
            referred.remove(event.channelId());
            return;
        }
        if (!(event instanceof CallEvent.ChannelUnbridged)) return;
        Referred r = referred.remove(event.channelId());
        if (r == null) return;
        r.referrer().hangup(HangupCause.NORMAL_CLEARING);
        try {
            acd.transferToAgent(r.call().enterpriseId(), r.call().callId(), r.transferee(), r.call().tracker().inboundCaller(), r.colleague(),
                    r.from());
        } catch (DomainException e) {
            log.info("call {}: the phone's transfer to user {} goes to their extension: {}", r.call().callId(), r.colleague(), e.getMessage());
            r.otherwise().run();
        }
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
