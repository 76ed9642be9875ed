package dev.hotline.recording;

import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.Conference;
import dev.hotline.engine.call.RecordMode;
import dev.hotline.engine.media.WavReader;
import dev.hotline.report.CallLogEvent;
import dev.hotline.report.EventLog;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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
    private record Active(long enterpriseId, String callId, String format, boolean stereo, Instant startedAt, Path path) {}

    private final MediaFiles files;
    private final EventLog events;
    private final Clock clock;
    private final LongFunction<Optional<RecordingSettings>> settings;
    private final Map<String, Active> recordings = new ConcurrentHashMap<>();

    /** {@code settings}: the enterprise's recording settings in force, empty for an unknown enterprise. */
    public CallRecorder(MediaFiles files, EventLog events, Clock clock, LongFunction<Optional<RecordingSettings>> settings) {
        this.files = files;
        this.events = events;
        this.clock = clock;
        this.settings = settings;
    }

    /** REC-1: a call answered for the first time is recorded from its inbound leg when the policy covers its direction. */
    public void answered(long enterpriseId, String callId, String direction, Optional<Channel> inbound, Instant at) {
        start(enterpriseId, callId, inbound, at, direction);
    }

    /** REC-1 per queue: records the call whatever the policy says (no-op when it is recorded already). */
    public void recordQueueCall(long enterpriseId, String callId, Optional<Channel> inbound) {
        if (recordings.values().stream().anyMatch(r -> r.callId().equals(callId))) return;
        start(enterpriseId, callId, inbound, clock.instant(), null);
    }

    /** {@code direction} null: record whatever the enterprise's policy says. */
    private void start(long enterpriseId, String callId, Optional<Channel> inbound, Instant at, String direction) {
        var s = settings.apply(enterpriseId).orElse(null);
        if (s == null || direction != null && !s.policy().records(direction)) return;
        inbound.ifPresent(in -> {
            try {
                var rec = in.record(files.recordingFile(enterpriseId, callId, at), s.format().engineFormat(),
                        s.stereo() ? RecordMode.STEREO : RecordMode.MONO);
                recordings.put(rec.id(), new Active(enterpriseId, callId, s.format().key(), s.stereo(), at, rec.path()));
            } catch (RuntimeException ex) {
                log.error("cannot record call {}: {}", callId, ex.toString());
            }
        });
    }

    /** PBX-5: a room with recording on is recorded (mono mix of the room) from its first participant to its last. */
    public void recordRoom(long enterpriseId, Conference conf) {
        var s = settings.apply(enterpriseId).orElse(RecordingSettings.DEFAULT);
        Instant now = clock.instant();
        String id = "conf-" + conf.id();
        try {
            var rec = conf.record(files.recordingFile(enterpriseId, id, now), s.format().engineFormat());
            recordings.put(rec.id(), new Active(enterpriseId, id, s.format().key(), false, now, rec.path()));
        } catch (RuntimeException ex) {
            log.error("cannot record conference {}: {}", conf.name(), ex.toString());
        }
    }

    /** The engine finished a file: logged as the call's recording when it is one of ours. */
    public void finished(CallEvent.RecordingFinished f) {
        Active r = recordings.remove(f.recordingId());
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
