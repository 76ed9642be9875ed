package dev.hotline.call;

import dev.hotline.acd.Acd;
import dev.hotline.acd.Device;
import dev.hotline.cti.CallView;
import dev.hotline.cti.CtiHub;
import dev.hotline.domain.DomainException;
import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.CallerId;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.DialRequest;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.engine.call.WebRtcConnection;
import dev.hotline.ivr.Ivr;
import dev.hotline.recording.MediaFiles;
import dev.hotline.report.CallLogEvent;
import dev.hotline.routing.CallBook;
import dev.hotline.routing.CallBook.Call;
import dev.hotline.routing.CallRouter;
import dev.hotline.routing.OutboundPlan;
import dev.hotline.routing.RoutingData;
import dev.hotline.survey.Surveys;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Call control from the agent's desk ({@link CtiHub.Calls}, AGENT-2, AGENT-6, PBX-4): hold, blind
 * transfer, click-to-dial, consultation and three-party (through {@link Consultations}), and the
 * browser phone's connection.
 */
public final class DeskCallControl implements CtiHub.Calls {
    private final RoutingData data;
    private final CallBook book;
    private final CallRouter router;
    private final Acd acd;
    private final CtiHub cti;
    private final MediaFiles files;
    private final Duration ringTimeout;
    private final Devices devices;
    private final Colleagues colleagues;
    private final LegSplitter splitter;
    private final Consultations consultations;
    private final Verifications verifications;
    private final DeviceSwitches switches;
    /** Click-to-dial: the agent's leg → the number to call once it is answered. */
    private final Map<String, String> clickToDial = new ConcurrentHashMap<>();

    public DeskCallControl(RoutingData data, CallBook book, CallRouter router, Acd acd, CtiHub cti, MediaFiles files,
                     Duration ringTimeout, Ivr ivr, Clock clock, Surveys surveys) {
        this.data = data;
        this.book = book;
        this.router = router;
        this.acd = acd;
        this.cti = cti;
        this.files = files;
        this.ringTimeout = ringTimeout;
        this.devices = new Devices(data);
        this.colleagues = new Colleagues(data, acd, devices);
        this.splitter = new LegSplitter(data);
        this.consultations = new Consultations(data, book, acd, cti, files, colleagues, splitter, ringTimeout);
        this.verifications = new Verifications(data, book, cti, files, splitter, ivr, clock);
        this.switches = new DeviceSwitches(data, book, acd, cti, devices, ringTimeout, surveys);
    }

    @Override
    public CallView.Path path(String callId) {
        return book.find(callId).map(c -> new CallView.Path(c.tracker().dialled(), c.tracker().ivrPath(), c.tracker().page())).orElse(CallView.Path.NONE);
    }

    @Override
    public Optional<Channel> channel(String id) {
        return data.engine().channel(id);
    }

    @Override
    public Optional<Channel> peer(String agentLeg) {
        return data.engine().channel(agentLeg).flatMap(Channel::bridgedWith);
    }

    @Override
    public Path musicFolder(long enterpriseId) {
        return files.musicFolder(enterpriseId);
    }

    @Override
    public Optional<Long> userOf(long enterpriseId, String jobOrExtension) {
        return colleagues.userOf(enterpriseId, jobOrExtension);
    }

    /** PBX-4 from the desk: the party talking to the agent hears music; logged like a phone's hold. */
    @Override
    public void hold(String agentLeg, boolean held) {
        Channel agent = data.engine().channel(agentLeg).orElseThrow(() -> DomainException.notFound("call"));
        Channel peer = agent.bridgedWith().orElseThrow(() -> DomainException.conflict("no one to hold"));
        Call c = book.find(agentLeg).orElse(null);
        if (held) peer.hold(files.musicFolder(c == null ? 0 : c.enterpriseId()));
        else peer.unhold();
        if (c != null) book.record(c, new CallLogEvent.Hold(c.enterpriseId(), c.callId(), book.now(), agentLeg, held));
    }

    /**
     * Blind transfer from the desk: the agent's leg leaves the call (the caller stays up), then the
     * caller is connected to {@code to} (an extension or an outside number); {@code to} null only
     * takes the agent out (the ACD then offers the caller to a colleague).
     */
    @Override
    public void transfer(long enterpriseId, String agentLeg, String to) {
        Channel agent = data.engine().channel(agentLeg).orElseThrow(() -> DomainException.notFound("call"));
        Channel caller = agent.bridgedWith().orElseThrow(() -> DomainException.conflict("no one to transfer"));
        Call c = book.find(caller.id()).orElseThrow(() -> DomainException.notFound("call"));
        if (!data.knows(enterpriseId)) throw new IllegalStateException("enterprise " + enterpriseId + " is not routed");
        boolean toExtension = to != null && data.isExtension(enterpriseId, to);
        OutboundPlan plan = to == null || toExtension ? null : data.plan(enterpriseId, to);
        if (plan != null && plan.refused()) throw new DomainException(DomainException.Kind.NOT_FOUND, plan.error());
        splitter.split(agent, "the call could not be split for the transfer");
        book.record(c, new CallLogEvent.Transfer(c.enterpriseId(), c.callId(), book.now(), agentLeg, "blind", to == null ? "agent" : to));
        agent.hangup(HangupCause.NORMAL_CLEARING);
        if (to == null) return;
        if (toExtension) router.dialExtension(c, caller, to, null);
        else router.dialTrunk(c, caller, plan, null);
    }

    /**
     * Click-to-dial (AGENT-2, AGENT-6): the agent's device rings first; once answered, an extension
     * (a colleague) or an outside number through the outbound routes, with the agent's permissions.
     */
    @Override
    public String dial(long enterpriseId, long userId, Device device, String number) {
        if (!data.knows(enterpriseId)) throw DomainException.notFound("enterprise");
        String ownExtension = data.extensionOfUser(enterpriseId, userId).orElse(null);
        String target = userOf(enterpriseId, number).flatMap(u -> data.extensionOfUser(enterpriseId, u)).orElse(number);
        boolean internal = data.isExtension(enterpriseId, target);
        if (!internal) {
            OutboundPlan plan = data.plan(enterpriseId, ownExtension, target);
            if (plan.refused()) throw Colleagues.refusal(plan);
        }
        var deviceTarget = devices.target(enterpriseId, device)
                .orElseThrow(() -> DomainException.conflict("your " + device.kind().key() + " phone cannot be reached"));
        DialRequest req = DialRequest.to(deviceTarget).withTimeout(ringTimeout).withCallerId(CallerId.of(target));
        String caller = ownExtension != null ? ownExtension : String.valueOf(userId);
        Channel leg = data.engine().originate(req, ch -> {
            cti.expectLeg(ch.id());
            clickToDial.put(ch.id(), target);
            book.begin(enterpriseId, ch, internal ? "internal" : "outbound", caller, target, null, ownExtension);
        });
        acd.busy(enterpriseId, userId, leg.id(), leg.id());
        cti.ownCall(enterpriseId, userId, leg.id(), leg.id(), internal ? "internal" : "outbound", target);
        return leg.id();
    }

    /**
     * PBX-4 pickup through the API: the user's device (a signed-in agent's, else their extension's phone) rings; answered,
     * it takes the call ringing {@code extension} (null: the longest-ringing one of the user's pickup group). The desk
     * follows the leg as one of the user's own calls.
     */
    @Override
    public String pickup(long enterpriseId, long userId, Device device, String extension) {
        if (!data.knows(enterpriseId)) throw DomainException.notFound("enterprise");
        // the enterprise's own extensions only (another enterprise's is none of its): before anything about the user's device
        if (extension != null && !data.isExtension(enterpriseId, extension)) throw DomainException.notFound("extension");
        String ownExtension = data.extensionOfUser(enterpriseId, userId).orElse(null);
        Device d = device != null ? device : ownExtension == null ? null : new Device(Device.Kind.SIP, ownExtension);
        if (d == null) throw DomainException.conflict("you have no extension: log in as an agent with a device first");
        var target = devices.target(enterpriseId, d)
                .orElseThrow(() -> DomainException.conflict("your " + d.kind().key() + " phone cannot be reached"));
        String shown = extension == null ? "*8" : "**" + extension;
        String leg = router.pickupTo(enterpriseId, ownExtension, userId, target, extension, ch -> cti.expectLeg(ch.id()));
        cti.ownCall(enterpriseId, userId, leg, leg, "internal", shown);
        return leg;
    }

    /** The agent answered their own leg of a click-to-dial: now the number. */
    private void dialFromAgent(Call c, String agentLeg, String number) {
        Channel leg = data.engine().channel(agentLeg).orElse(null);
        if (leg == null || !data.knows(c.enterpriseId())) return;
        if (data.isExtension(c.enterpriseId(), number)) {
            String own = c.tracker().inboundCaller();
            router.dialExtension(c, leg, number, own != null && data.isExtension(c.enterpriseId(), own) ? CallerId.of(own) : null);
            return;
        }
        OutboundPlan plan = data.plan(c.enterpriseId(), number);
        if (plan.refused()) {
            leg.hangup(HangupCause.UNALLOCATED_NUMBER);
            return;
        }
        router.dialTrunk(c, leg, plan, null);
    }

    @Override
    public String consult(long enterpriseId, long userId, String agentLeg, String to) {
        return consultations.consult(enterpriseId, userId, agentLeg, to);
    }

    @Override
    public void completeConsult(String agentLeg) {
        consultations.complete(agentLeg);
    }

    @Override
    public void conferenceConsult(String agentLeg) {
        consultations.conference(agentLeg);
    }

    @Override
    public void cancelConsult(String agentLeg) {
        consultations.cancel(agentLeg);
    }

    @Override
    public List<String> verificationFlows(long enterpriseId) {
        return verifications.flows(enterpriseId);
    }

    @Override
    public void verify(long enterpriseId, long userId, String agentLeg, String flow) {
        verifications.start(enterpriseId, userId, agentLeg, flow);
    }

    // --- the browser phone

    @Override
    public String webRtcConnect(String key, String offerSdp, boolean opus) {
        return data.engine().webRtcConnect(key, offerSdp, opus).answerSdp();
    }

    @Override
    public Optional<String> webRtcCodec(String key) {
        return data.engine().webRtcConnection(key).map(WebRtcConnection::codec);
    }

    @Override
    public boolean webRtcConnected(String key) {
        return data.engine().webRtcConnection(key).map(WebRtcConnection::connected).orElse(false);
    }

    @Override
    public void webRtcDisconnect(String key) {
        data.engine().webRtcDisconnect(key);
    }

    @Override
    public String switchDevice(long enterpriseId, long userId, String agentLeg, Device device) {
        return switches.start(enterpriseId, userId, agentLeg, device);
    }

    // --- events

    /** Every event first: legs split off, consultations and three-party rooms. */
    void onEvent(CallEvent event) {
        splitter.onEvent(event);
        consultations.onEvent(event);
        verifications.onEvent(event);
        switches.onEvent(event);
    }

    /** A leg of a call answered: the agent's leg of a click-to-dial now calls the number. */
    void answered(Call c, String channelId) {
        String dialNext = clickToDial.remove(channelId);
        if (dialNext != null) dialFromAgent(c, channelId, dialNext);
    }

    void hungUp(String channelId) {
        clickToDial.remove(channelId);
    }
}
