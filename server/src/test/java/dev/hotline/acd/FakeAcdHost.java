package dev.hotline.acd;

import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.CallParty;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.ChannelState;
import dev.hotline.engine.call.Direction;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.engine.call.Playback;
import dev.hotline.engine.call.PlaybackRequest;
import dev.hotline.engine.call.RecordFormat;
import dev.hotline.engine.call.RecordMode;
import dev.hotline.engine.call.Recording;
import dev.hotline.engine.call.LegCounters;
import dev.hotline.report.CallLogEvent;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The call router as the ACD sees it, without SIP: channels are plain objects that exist until the
 * test (or the ACD) ends them; the test sends their events to the ACD as the engine would.
 */
final class FakeAcdHost implements Acd.Host {
    /** One agent leg the ACD asked for. */
    record Offer(long agentUserId, String callId, String legId, Duration timeout, String queue) {}

    /** Where a caller was sent on leaving a queue. */
    record Left(String callId, QueueSettings.Destination destination, String fromQueue) {}

    private final Clock clock;
    Acd acd;
    /** Devices that cannot be called now (e.g. a SIP phone that is not registered). */
    final java.util.Set<Device> unreachable = new java.util.HashSet<>();
    final Map<String, FakeChannel> channels = new LinkedHashMap<>();
    final List<Offer> offers = new ArrayList<>();
    final List<CallLogEvent> logged = new ArrayList<>();
    final List<String> bridged = new ArrayList<>();
    final List<Left> left = new ArrayList<>();
    private int legs;

    FakeAcdHost(Clock clock) {
        this.clock = clock;
    }

    /** A caller's answered channel, known to the engine. */
    FakeChannel caller(String id) {
        FakeChannel c = new FakeChannel(id);
        channels.put(id, c);
        return c;
    }

    /** The last offer made to {@code userId}. */
    Offer lastOfferTo(long userId) {
        for (int i = offers.size() - 1; i >= 0; i--) if (offers.get(i).agentUserId() == userId) return offers.get(i);
        throw new AssertionError("agent " + userId + " was never offered a call");
    }

    // ---- the engine's side: events and channels that vanish

    void answer(String legId) {
        acd.onEvent(new CallEvent.ChannelAnswered(legId, clock.instant()));
    }

    /** The channel ends and the engine says so. */
    void hangUp(String id, HangupCause cause) {
        forget(id);
        acd.onEvent(new CallEvent.ChannelHungUp(id, cause, 0, clock.instant()));
    }

    /** The engine forgets the channel; its hang-up event has not been sent yet. */
    void forget(String id) {
        FakeChannel c = channels.remove(id);
        if (c != null && c.ended == null) c.ended = HangupCause.NORMAL_CLEARING;
    }

    // ---- Acd.Host

    @Override
    public void log(CallLogEvent e) {
        logged.add(e);
    }

    @Override
    public Optional<Channel> offer(long enterpriseId, String callId, Device device, String callerNumber, Duration timeout, String queue,
                                   long agentUserId, String agentJob) {
        FakeChannel leg = new FakeChannel("leg-" + (++legs));
        channels.put(leg.id(), leg);
        acd.watch(leg.id());
        offers.add(new Offer(agentUserId, callId, leg.id(), timeout, queue));
        return Optional.of(leg);
    }

    @Override
    public Optional<Channel> offerCallback(long enterpriseId, Device device, String customerNumber, Duration timeout, String queue,
                                           long agentUserId, String agentJob) {
        return offer(enterpriseId, "callback:" + customerNumber, device, customerNumber, timeout, queue, agentUserId, agentJob);
    }

    @Override
    public Optional<Channel> dialCustomer(long enterpriseId, String callId, String number) {
        return Optional.empty();
    }

    @Override
    public void bridge(Channel a, Channel b) {
        bridged.add(a.id() + "+" + b.id());
    }

    @Override
    public void bridgeForSurvey(Channel caller, Channel agentLeg, long enterpriseId, String callId, String queue, long agentUserId,
                                QueueSettings.Survey survey) {
        bridged.add(caller.id() + "+" + agentLeg.id() + " survey");
    }

    @Override
    public Optional<Channel> channel(String id) {
        return Optional.ofNullable(channels.get(id));
    }

    @Override
    public Path musicFolder(long enterpriseId) {
        return Path.of("moh");
    }

    @Override
    public boolean reachable(long enterpriseId, Device device) {
        return !unreachable.contains(device);
    }

    @Override
    public boolean leaveTo(long enterpriseId, String callId, Channel caller, QueueSettings.Destination destination, String fromQueue) {
        left.add(new Left(callId, destination, fromQueue));
        return true;
    }

    @Override
    public void record(long enterpriseId, String callId, boolean queueRecords, String agentExtension) {
    }

    /** A leg that only remembers what was done to it. */
    final class FakeChannel implements Channel {
        private final String id;
        HangupCause ended;
        boolean held;

        FakeChannel(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public void hangup(HangupCause cause) {
            // The ACD ended a leg (an offer cancelled): the engine forgets it and reports it.
            if (ended != null) return;
            ended = cause;
            hangUp(id, cause);
        }

        @Override
        public void hold(Path musicFolder) {
            held = true;
        }

        @Override
        public void unhold() {
            held = false;
        }

        @Override
        public boolean onHold() {
            return held;
        }

        @Override
        public Direction direction() {
            return null;
        }

        @Override
        public ChannelState state() {
            return null;
        }

        @Override
        public CallParty caller() {
            return null;
        }

        @Override
        public CallParty callee() {
            return null;
        }

        @Override
        public Optional<Channel> bridgedWith() {
            return Optional.empty();
        }

        @Override
        public LegCounters counters() {
            return null;
        }

        @Override
        public void ring() {
        }

        @Override
        public void answer() {
        }

        @Override
        public void reject(int sipStatus) {
        }

        @Override
        public Playback play(PlaybackRequest request) {
            return null;
        }

        @Override
        public void stopPlayback() {
        }

        @Override
        public void collectDigits(int maxDigits, char terminator, Duration firstDigitTimeout, Duration interDigitTimeout) {
        }

        @Override
        public void clearDigits() {
        }

        @Override
        public void sendDtmf(String digits) {
        }

        @Override
        public Recording record(Path file, RecordFormat format, RecordMode mode) {
            return null;
        }

        @Override
        public boolean musicOnHold() {
            return held;
        }

        @Override
        public void mute(boolean muted) {
        }

        @Override
        public boolean muted() {
            return false;
        }
    }
}
