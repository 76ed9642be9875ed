package dev.hotline.recording;

import dev.hotline.domain.DomainException;
import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.Conference;
import dev.hotline.engine.call.RecordMode;
import dev.hotline.engine.call.Recording;
import dev.hotline.engine.media.WavReader;
import dev.hotline.report.CallLogEvent;
import dev.hotline.report.EventLog;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which calls are recorded, and their recordings until the files are finished (REC-1, REC-2,
 * PBX-5, SEC-3): a call whose direction the enterprise's policy covers, from its first answer; a
 * call of a queue that records its calls; a conference room that records. Each finished file is
 * logged as the call's recording.
 */
public final class CallRecorder {
    private static final Logger log = LoggerFactory.getLogger(CallRecorder.class);

    /** A recording in progress, kept until the engine reports the file finished (which may be after the call closed). */
    private record Active(long enterpriseId, String callId, String format, boolean stereo, Instant startedAt, Path path,
                          Recording rec, String channelId) {}

    /** What can be asked of a call's recording on demand (REC-1). */
    public enum Action {
        START, STOP, PAUSE, RESUME;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Action> parse(String s) {
            return Arrays.stream(values()).filter(a -> a.key().equals(s)).findFirst();
        }
    }

    /** A call's recording as the desk and the API see it: on or not, paused or not, where it is, its silent gaps. */
    public record State(String callId, boolean recording, boolean paused, long positionMs, List<Gap> gaps) {}

    /** A silent span of the file, in ms from its start; {@code toMs} null while paused. */
    public record Gap(long fromMs, Long toMs) {
        static List<Gap> of(Recording rec) {
            return rec.gaps().stream().map(g -> new Gap(g.from().toMillis(), g.to() == null ? null : g.to().toMillis())).toList();
        }
    }

    private final MediaFiles files;
    private final EventLog events;
    private final Clock clock;
    private final LongFunction<Optional<RecordingSettings>> settings;
    private final Map<String, Active> recordings = new ConcurrentHashMap<>();
    private final Function<String, Optional<Channel>> channels;
    /** Recordings stopped on demand whose file the engine has not reported finished yet. */
    private final Set<String> stopping = ConcurrentHashMap.newKeySet();

    /**
     * {@code settings}: the enterprise's recording settings in force, empty for an unknown enterprise; {@code channels}:
     * the engine's live channel of an id (a call's first leg has the call's id).
     */
    public CallRecorder(MediaFiles files, EventLog events, Clock clock, LongFunction<Optional<RecordingSettings>> settings,
                        Function<String, Optional<Channel>> channels) {
        this.files = files;
        this.events = events;
        this.clock = clock;
        this.settings = settings;
        this.channels = channels;
    }

    /**
     * REC-1: a call answered for the first time is recorded from its inbound leg when the policy covers its direction, or
     * when one of {@code numbers} (its caller, the number dialled) is an extension the enterprise records.
     */
    public void answered(long enterpriseId, String callId, String direction, List<String> numbers, Optional<Channel> inbound, Instant at) {
        var s = settings.apply(enterpriseId).orElse(null);
        if (s == null) return;
        boolean extension = numbers.stream().anyMatch(n -> n != null && s.extensions().contains(n));
        start(enterpriseId, callId, inbound, at, extension ? null : direction);
    }

    private Optional<Active> activeOf(String callId) {
        return recordings.values().stream().filter(r -> r.callId().equals(callId) && r.rec() != null && !r.rec().finished()
                && !stopping.contains(r.rec().id())).findFirst();
    }

    /** The call's recording now. */
    public State state(String callId) {
        return activeOf(callId).map(a -> new State(callId, true, a.rec().gaps().stream().anyMatch(g -> g.to() == null),
                a.rec().position().toMillis(), Gap.of(a.rec()))).orElse(new State(callId, false, false, 0, List.of()));
    }

    /**
     * REC-1 on demand (the desk's buttons, the API): starts recording a call that is not recorded, stops it, pauses it
     * (silence written until resumed) or resumes it; each change is a call event naming {@code by} and where in the file
     * it falls. A move that does not fit the recording's state is a conflict.
     */
    public State control(long enterpriseId, String callId, Action action, String by) {
        Optional<Active> active = activeOf(callId);
        switch (action) {
            case START -> {
                if (active.isPresent()) throw DomainException.conflict("the call is being recorded already");
                Channel ch = channels.apply(callId).filter(c -> !c.state().isFinal())
                        .orElseThrow(() -> DomainException.conflict("the call has ended"));
                if (start(enterpriseId, callId, Optional.of(ch), clock.instant(), null).isEmpty()) {
                    throw DomainException.conflict("the call cannot be recorded");
                }
                log(enterpriseId, callId, ch.id(), action, 0, by);
            }
            case STOP, PAUSE, RESUME -> {
                Active a = active.orElseThrow(() -> DomainException.conflict("the call is not being recorded"));
                boolean paused = a.rec().gaps().stream().anyMatch(g -> g.to() == null);
                if (action == Action.PAUSE && paused) throw DomainException.conflict("the recording is paused already");
                if (action == Action.RESUME && !paused) throw DomainException.conflict("the recording is not paused");
                long at = a.rec().position().toMillis();
                if (action == Action.PAUSE) a.rec().pause();
                if (action == Action.RESUME) a.rec().resume();
                if (action == Action.STOP) {
                    stopping.add(a.rec().id());
                    a.rec().stop();
                }
                log(enterpriseId, callId, a.channelId(), action, at, by);
            }
        }
        return state(callId);
    }

    private void log(long enterpriseId, String callId, String channelId, Action action, long atMs, String by) {
        events.append(new CallLogEvent.RecordingControl(enterpriseId, callId, clock.instant(), channelId, action.key(), atMs, by));
    }

    /**
     * REC-1 per queue and per extension: an agent took a queue's call; it is recorded whatever the policy says when the
     * queue records its calls or the agent's extension is listed in the recording settings (no-op when it is recorded
     * already).
     */
    public void recordQueueCall(long enterpriseId, String callId, boolean queueRecords, String agentExtension, Optional<Channel> inbound) {
        if (activeOf(callId).isPresent()) return;
        boolean listed = agentExtension != null && settings.apply(enterpriseId).map(s -> s.extensions().contains(agentExtension)).orElse(false);
        if (queueRecords || listed) start(enterpriseId, callId, inbound, clock.instant(), null);
    }

    /** {@code direction} null: record whatever the enterprise's policy says. Empty when nothing was started. */
    private Optional<Active> start(long enterpriseId, String callId, Optional<Channel> inbound, Instant at, String direction) {
        var s = settings.apply(enterpriseId).orElse(null);
        if (s == null || direction != null && !s.policy().records(direction) || inbound.isEmpty()) return Optional.empty();
        Channel in = inbound.get();
        try {
            var rec = in.record(files.recordingFile(enterpriseId, callId, at), s.format().engineFormat(),
                    s.stereo() ? RecordMode.STEREO : RecordMode.MONO);
            Active a = new Active(enterpriseId, callId, s.format().key(), s.stereo(), at, rec.path(), rec, in.id());
            recordings.put(rec.id(), a);
            return Optional.of(a);
        } catch (RuntimeException ex) {
            log.error("cannot record call {}: {}", callId, ex.toString());
            return Optional.empty();
        }
    }

    /** PBX-5: a room with recording on is recorded (mono mix of the room) from its first participant to its last. */
    public void recordRoom(long enterpriseId, Conference conf) {
        var s = settings.apply(enterpriseId).orElse(RecordingSettings.DEFAULT);
        Instant now = clock.instant();
        String id = "conf-" + conf.id();
        try {
            var rec = conf.record(files.recordingFile(enterpriseId, id, now), s.format().engineFormat());
            recordings.put(rec.id(), new Active(enterpriseId, id, s.format().key(), false, now, rec.path(), rec, null));
        } catch (RuntimeException ex) {
            log.error("cannot record conference {}: {}", conf.name(), ex.toString());
        }
    }

    /** PBX-5: stops the recording of a room (a moderator's command); false when the room was not being recorded. */
    public boolean stopRoom(Conference conf) {
        String id = "conf-" + conf.id();
        for (Active a : recordings.values()) {
            if (a.callId().equals(id) && !a.rec().finished()) {
                a.rec().stop();
                return true;
            }
        }
        return false;
    }

    /** The engine finished a file: logged as the call's recording when it is one of ours. */
    public void finished(CallEvent.RecordingFinished f) {
        Active r = recordings.remove(f.recordingId());
        stopping.remove(f.recordingId());
        if (r != null) {
            events.append(new CallLogEvent.Recorded(r.enterpriseId(), r.callId(), f.at(), f.channelId(), f.path(), r.format(), r.stereo(),
                    r.startedAt(), f.duration().toMillis()));
        }
    }

    /**
     * SEC-3: after the engine stopped, registers every recording whose end it did not report, with the
     * length its (always valid) file has, so that no recording is lost from the recordings list.
     */
    public void finishOnStop() {
        for (var en : List.copyOf(recordings.entrySet())) {
            if (recordings.remove(en.getKey()) == null) continue;
            Active r = en.getValue();
            long ms = 0;
            try {
                ms = WavReader.read(r.path()).duration().toMillis();
            } catch (IOException | RuntimeException e) {
                log.warn("recording {} of call {} unreadable at stop: {}", r.path(), r.callId(), e.toString());
            }
            events.append(new CallLogEvent.Recorded(r.enterpriseId(), r.callId(), clock.instant(), r.callId(), r.path(), r.format(),
                    r.stereo(), r.startedAt(), ms));
        }
    }
}
