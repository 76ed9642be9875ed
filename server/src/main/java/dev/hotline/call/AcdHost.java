package dev.hotline.call;

import dev.hotline.acd.Acd;
import dev.hotline.acd.Device;
import dev.hotline.acd.QueueSettings;
import dev.hotline.cti.CtiHub;
import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.CallerId;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.DialRequest;
import dev.hotline.engine.call.PeerHangup;
import dev.hotline.recording.CallRecorder;
import dev.hotline.recording.MediaFiles;
import dev.hotline.report.CallLogEvent;
import dev.hotline.routing.CallBook;
import dev.hotline.routing.CallBook.Call;
import dev.hotline.routing.CallRouter;
import dev.hotline.routing.Destination;
import dev.hotline.routing.OutboundPlan;
import dev.hotline.routing.RoutingData;
import dev.hotline.survey.Surveys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The ACD's hands on calls ({@link Acd.Host}): offers a waiting caller to an agent's device and
 * files the leg under the call, places call-back legs, connects answered parties (keeping the caller for the
 * satisfaction survey where the queue asks so), sends callers
 * leaving a queue on, records a queue's calls; and tells the queue what a hang-up means.
 */
public final class AcdHost implements Acd.Host {
    private final Acd acd;
    private final CtiHub cti;
    private final CallBook book;
    private final RoutingData data;
    private final CallRouter router;
    private final CallRecorder recorder;
    private final MediaFiles files;
    private final Devices devices;
    private final Duration ringTimeout;
    private final Surveys surveys;

    public AcdHost(Acd acd, CtiHub cti, CallBook book, RoutingData data, CallRouter router, CallRecorder recorder, MediaFiles files,
                   Duration ringTimeout, Surveys surveys) {
        this.acd = acd;
        this.cti = cti;
        this.book = book;
        this.data = data;
        this.router = router;
        this.recorder = recorder;
        this.files = files;
        this.devices = new Devices(data);
        this.ringTimeout = ringTimeout;
        this.surveys = surveys;
    }

    @Override
    public void log(CallLogEvent e) {
        book.log(e);
    }

    @Override
    public Optional<Channel> offer(long enterpriseId, String callId, Device device, String callerNumber, Duration timeout, String queue,
                                   long agentUserId, String agentJob) {
        Call c = book.find(callId).orElse(null);
        var target = devices.target(enterpriseId, device);
        if (c == null || target.isEmpty()) return Optional.empty();
        DialRequest req = DialRequest.to(target.get()).withTimeout(timeout)
                .withCallerId(CallerId.of(callerNumber == null || callerNumber.isEmpty() ? "anonymous" : callerNumber));
        return Optional.of(data.engine().originate(req, leg -> {
            acd.watch(leg.id());
            cti.expectLeg(leg.id());
            book.join(c, leg, "agent " + (agentJob == null ? agentUserId : agentJob) + " " + device);
            book.record(c, new CallLogEvent.QueueOffered(enterpriseId, callId, book.now(), leg.id(), queue, agentUserId, agentJob,
                    device.toString()));
        }));
    }

    @Override
    public Optional<Channel> offerCallback(long enterpriseId, Device device, String customerNumber, Duration timeout, String queue,
                                           long agentUserId, String agentJob) {
        var target = devices.target(enterpriseId, device);
        if (target.isEmpty()) return Optional.empty();
        DialRequest req = DialRequest.to(target.get()).withTimeout(timeout).withCallerId(CallerId.of(customerNumber));
        return Optional.of(data.engine().originate(req, leg -> {
            acd.watch(leg.id());
            cti.expectLeg(leg.id());
            Call c = book.begin(enterpriseId, leg, "outbound", agentJob == null ? String.valueOf(agentUserId) : agentJob, customerNumber, null,
                    device.kind() == Device.Kind.EXTERNAL ? null : device.number());
            book.record(c, new CallLogEvent.QueueJoined(enterpriseId, c.callId(), book.now(), leg.id(), queue, 0, 1));
            book.record(c, new CallLogEvent.QueueOffered(enterpriseId, c.callId(), book.now(), leg.id(), queue, agentUserId, agentJob,
                    device.toString()));
        }));
    }

    @Override
    public Optional<Channel> dialCustomer(long enterpriseId, String callId, String number) {
        Call c = book.find(callId).orElse(null);
        if (c == null || !data.knows(enterpriseId)) return Optional.empty();
        OutboundPlan plan = data.plan(enterpriseId, number);
        if (plan.refused()) return Optional.empty();
        return Optional.of(data.engine().originate(plan.request(ringTimeout, null), leg -> {
            acd.watch(leg.id()); // the customer of a call back
            book.join(c, leg, plan.label());
        }));
    }

    @Override
    public void bridge(Channel a, Channel b) {
        data.engine().bridge(a, b);
    }

    @Override
    public void bridgeForSurvey(Channel caller, Channel agentLeg, long enterpriseId, String callId, String queue, long agentUserId,
                                QueueSettings.Survey survey) {
        surveys.expect(caller, agentLeg.id(), enterpriseId, callId, queue, agentUserId, survey);
        data.engine().bridge(caller, agentLeg, PeerHangup.STAY);
    }

    @Override
    public Optional<Channel> channel(String id) {
        return data.engine().channel(id);
    }

    @Override
    public Path musicFolder(long enterpriseId) {
        return files.musicFolder(enterpriseId);
    }

    @Override
    public boolean reachable(long enterpriseId, Device device) {
        return devices.target(enterpriseId, device).isPresent();
    }

    @Override
    public boolean leaveTo(long enterpriseId, String callId, Channel caller, QueueSettings.Destination destination, String fromQueue) {
        Call c = book.find(caller.id()).orElse(null);
        if (c == null || destination == null) return false;
        var to = Destination.parse(destination.type(), destination.value());
        return to.isPresent() && router.overflow(c, caller, to.get(), fromQueue);
    }

    @Override
    public void record(long enterpriseId, String callId, boolean queueRecords, String agentExtension) {
        book.find(callId).ifPresent(c -> recorder.recordQueueCall(c.enterpriseId(), c.callId(), queueRecords, agentExtension,
                data.engine().channel(c.callId())));
    }

    /**
     * What a hang-up means to a queue, logged before the hang-up itself so that the call's record sees
     * it: a caller who hangs up while waiting abandoned the queue; an offer leg that ends unanswered
     * was not taken (no_answer is the RONA of ACD-5).
     */
    void beforeHangup(Call c, CallEvent.ChannelHungUp h) {
        var tracker = c.tracker();
        if (h.channelId().equals(c.callId())) {
            var waitingIn = tracker.waitingInQueue();
            if (waitingIn.isPresent()) {
                long waitMs = Duration.between(waitingIn.get().getValue(), h.at()).toMillis();
                book.record(c, new CallLogEvent.QueueLeft(c.enterpriseId(), c.callId(), h.at(), h.channelId(), waitingIn.get().getKey(),
                        "abandoned", "caller_hangup", null, Math.max(0, waitMs)));
            }
        }
        var offer = tracker.openOffer(h.channelId());
        if (offer.isPresent()) {
            String result = switch (h.cause()) {
                case NO_ANSWER, NO_USER_RESPONSE -> "no_answer";
                case USER_BUSY -> "busy";
                case CALL_REJECTED -> "rejected";
                case ORIGINATOR_CANCEL, NORMAL_CLEARING -> "cancelled";
                default -> "failed";
            };
            book.record(c, new CallLogEvent.QueueOfferEnded(c.enterpriseId(), c.callId(), h.at(), h.channelId(), offer.get().queue(),
                    offer.get().agentUserId(), result));
        }
    }
}
