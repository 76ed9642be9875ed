package dev.hotline.engine.sip;

import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.ChannelState;
import dev.hotline.engine.call.Conference;
import dev.hotline.engine.call.RecordFormat;
import dev.hotline.engine.call.Recording;
import dev.hotline.engine.media.AudioClip;
import dev.hotline.engine.media.MixMode;
import dev.hotline.engine.rtp.ChannelMedia;
import dev.hotline.engine.rtp.MixGroup;
import dev.hotline.engine.rtp.Recorder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A conference room mixed by the media clock ({@link MixGroup}). */
final class SipConference implements Conference {
    static final AudioClip JOIN_TONE = tones(440, 660);
    static final AudioClip LEAVE_TONE = tones(660, 440);

    private final SipEngine engine;
    private final String id;
    private final String name;
    private final SerialExecutor ctx;
    private final MixGroup group;
    private final Map<ChannelMedia, SipLeg> members = new ConcurrentHashMap<>();

    SipConference(SipEngine engine, String id, String name, SerialExecutor ctx) {
        this.engine = engine;
        this.id = id;
        this.name = name;
        this.ctx = ctx;
        this.group = engine.relay().clock().newGroup(id);
        group.setLeaveTone(LEAVE_TONE);
        group.onRemoved(m -> {
            SipLeg leg = members.remove(m);
            if (leg != null) {
                leg.post(() -> engine.emit(new CallEvent.ConferenceLeft(leg.id, id, Instant.now())));
            }
        });
    }

    /** Two 120 ms beeps, quiet enough not to hide speech. */
    private static AudioClip tones(int f1, int f2) {
        short[] s = new short[1920];
        for (int i = 0; i < s.length; i++) {
            int f = i < 960 ? f1 : f2;
            double env = Math.min(1.0, Math.min(i % 960, 960 - i % 960) / 80.0);
            s[i] = (short) (5000 * env * Math.sin(2 * Math.PI * f * i / 8000.0));
        }
        return AudioClip.of(s);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void add(Channel channel) {
        SipLeg leg = engine.leg(channel);
        if (leg.state() != ChannelState.UP || leg.media == null) {
            throw new IllegalStateException("only answered channels join a conference: " + leg);
        }
        if (group.closed()) {
            throw new IllegalStateException("conference " + id + " is closed");
        }
        ChannelMedia m = leg.media.media();
        if (members.putIfAbsent(m, leg) == null) {
            group.add(m, MixMode.NORMAL, null, JOIN_TONE);
            leg.post(() -> engine.emit(new CallEvent.ConferenceJoined(leg.id, id, Instant.now())));
        }
    }

    @Override
    public void remove(Channel channel) {
        SipLeg leg = engine.leg(channel);
        ChannelMedia m = leg.media.media();
        if (members.remove(m) != null) {
            group.remove(m, LEAVE_TONE);
            leg.post(() -> engine.emit(new CallEvent.ConferenceLeft(leg.id, id, Instant.now())));
        }
    }

    @Override
    public void mute(Channel channel, boolean muted) {
        SipLeg leg = engine.leg(channel);
        group.setMode(leg.media.media(), muted ? MixMode.MUTED : MixMode.NORMAL);
    }

    @Override
    public List<String> participants() {
        return members.values().stream().map(SipLeg::id).sorted().toList();
    }

    @Override
    public Recording record(Path file, RecordFormat format) {
        Recorder r;
        try {
            r = engine.relay().openRecording(file, format.encoding(), false, rec -> ctx.execute(() ->
                    engine.emit(new CallEvent.RecordingFinished(id, rec.id(), rec.file(), rec.duration(), Instant.now()))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record to " + file, e);
        }
        group.record(r);
        return new RecordingHandle(r, () -> group.stopRecording(r));
    }

    @Override
    public void close() {
        group.close();
        for (SipLeg leg : members.values()) {
            leg.post(() -> engine.emit(new CallEvent.ConferenceLeft(leg.id, id, Instant.now())));
        }
        members.clear();
    }

    @Override
    public String toString() {
        return "Conference[" + id + " " + name + "]";
    }
}
