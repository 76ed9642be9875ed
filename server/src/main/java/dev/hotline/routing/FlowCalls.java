package dev.hotline.routing;

import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.Recording;
import dev.hotline.ivr.Flow;
import dev.hotline.ivr.Ivr;
import dev.hotline.ivr.IvrHost;
import dev.hotline.ivr.IvrRunner;
import dev.hotline.ivr.PhonePrompts;
import dev.hotline.recording.MediaFiles;
import dev.hotline.report.CallLogEvent;
import dev.hotline.routing.CallBook.Call;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls in flows (IVR-1, IVR-2, MSG-1): starts flows on calls and is the flows' host: their steps go
 * into the call's record, their transfers back to routing, their voicemails into the call's record when
 * the flow keeps them (and empty ones deleted).
 */
final class FlowCalls implements IvrHost {
    private static final Logger log = LoggerFactory.getLogger(FlowCalls.class);

    /** Routing's side of a flow's transfer: the caller (answered) goes to {@code to}; false when impossible now. */
    interface Transfers {
        boolean transfer(Call c, Channel caller, Destination to, int priority);
    }

    /** A voicemail waiting for its recording to finish. */
    private final CallBook book;
    private final RoutingData data;
    private final MediaFiles files;
    private final Jdbi jdbi;
    private final IvrRunner runner;
    private final Transfers transfers;
    /** Recordings that are no message, whose file is deleted when the engine reports them finished. */
    private final Map<String, Boolean> discarded = new ConcurrentHashMap<>();

    FlowCalls(CallBook book, RoutingData data, MediaFiles files, Jdbi jdbi, Ivr ivr, Clock clock, Transfers transfers) {
        this.book = book;
        this.data = data;
        this.files = files;
        this.jdbi = jdbi;
        this.runner = new IvrRunner(ivr, clock);
        this.transfers = transfers;
    }

    /** Runs {@code graph} on the call, answering the caller first unless {@code answered}. */
    void start(Call c, Channel ch, String name, Flow.Graph graph, boolean answered) {
        runner.start(c.enterpriseId(), c.callId(), ch, name, graph, this, answered);
    }

    /** IVR-2: *30n records a prompt by phone. */
    void recordPrompt(Call c, Channel ch, Long userId, String dialled) {
        PhonePrompts.start(jdbi, runner, c.enterpriseId(), c.callId(), ch, userId, dialled, this);
    }

    /** Gives an event to the call's flow; true when it belongs only to the flow (playback, digits). */
    boolean onEvent(CallEvent e) {
        return runner.onEvent(e);
    }

    /** A finished recording: true when it was a voicemail's (logged when the flow kept it, or deleted when it was no message). */
    boolean voicemailFinished(CallEvent.RecordingFinished f) {
        if (discarded.remove(f.recordingId()) != null) {
            delete(f.path());
            return true;
        }
        return false; // a kept voicemail was logged when the flow kept it; the recorder ignores recordings it did not start
    }

    @Override
    public Flow.Graph publishedFlow(long enterpriseId, String name) {
        return data.tenant(enterpriseId).map(t -> t.flows().get(name)).orElse(null);
    }

    @Override
    public void logNode(String callId, String channelId, String flow, String node, String type) {
        book.find(channelId).ifPresent(c -> book.record(c, new CallLogEvent.IvrNode(c.enterpriseId(), callId, book.now(), channelId, flow, node, type)));
    }

    @Override
    public void logKey(String callId, String channelId, String flow, String node, String key) {
        book.find(channelId).ifPresent(c -> book.record(c, new CallLogEvent.IvrKey(c.enterpriseId(), callId, book.now(), channelId, flow, node, key)));
    }

    @Override
    public boolean transfer(String callId, Channel channel, String target, String value) {
        return transfer(callId, channel, target, value, 0);
    }

    @Override
    public boolean transfer(String callId, Channel channel, String target, String value, int priority) {
        var c = book.find(channel.id());
        var to = Destination.parse(target, value);
        return c.isPresent() && to.isPresent() && transfers.transfer(c.get(), channel, to.get(), priority);
    }

    @Override
    public Path voicemailFile(String callId, String boxType, String box) {
        long enterpriseId = book.find(callId).map(Call::enterpriseId).orElse(0L);
        return files.voicemailFile(enterpriseId, boxType, box, callId);
    }

    @Override
    public void saveVoicemail(String callId, String channelId, String boxType, String box, String caller, String callback, Recording recording,
                              java.time.Duration spoken) {
        var c = book.find(channelId);
        if (c.isEmpty()) return;
        // Logged now, inside the call, so that its record says voicemail (the engine closes the recording of a caller who
        // hung up only after the call has ended). The file is a complete WAV at every moment (REC-2), so listing it now is safe.
        long ms = recording.finished() ? recording.duration().toMillis() : spoken.toMillis();
        book.log(new CallLogEvent.VoicemailLeft(c.get().enterpriseId(), callId, book.now(), channelId, boxType, box, caller, callback,
                recording.path(), ms));
    }

    @Override
    public void discardVoicemail(Recording recording) {
        if (recording.finished()) {
            delete(recording.path());
        } else {
            discarded.put(recording.id(), Boolean.TRUE);
            // The engine may have finished it meanwhile (its event then found nothing to discard).
            if (recording.finished() && discarded.remove(recording.id()) != null) delete(recording.path());
        }
    }

    private static void delete(Path file) {
        try {
            if (file != null) java.nio.file.Files.deleteIfExists(file);
        } catch (java.io.IOException e) {
            log.warn("could not delete the empty voicemail recording {}: {}", file, e.toString());
        }
    }

    @Override
    public void ended(String channelId) {
        // the call's own events close it; nothing to keep for the IVR
    }
}
