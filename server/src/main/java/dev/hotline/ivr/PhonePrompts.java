package dev.hotline.ivr;

import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.CollectEnd;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.engine.call.PlaybackRequest;
import dev.hotline.engine.call.RecordFormat;
import dev.hotline.engine.call.RecordMode;
import dev.hotline.engine.call.Recording;
import dev.hotline.engine.tts.Language;
import dev.hotline.engine.tts.PromptKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IVR-2 "record prompts" by phone: an extension whose user may edit IVR flows (ivr.write) dials
 * {@code *30<n>} (e.g. {@code *3012}), hears a tone, speaks, and ends with {@code #} (or hangs
 * up); the recording becomes the enterprise prompt {@code phone-<n>.wav}, stored like an uploaded
 * prompt (8 kHz mono WAV in the prompts folder) and usable in flows as {@code {"file": "phone-12.wav"}}.
 * Anyone else hears "invalid input". The router only recognises the code and calls {@link #start}.
 */
public final class PhonePrompts {
    private static final Logger log = LoggerFactory.getLogger(PhonePrompts.class);
    static final Pattern CODE = Pattern.compile("\\*30([0-9]{1,6})");
    /** The longest prompt recorded by phone. */
    static final Duration MAX_LENGTH = Duration.ofMinutes(3);

    private PhonePrompts() {}

    /** Whether {@code dialled} is the record-a-prompt code. */
    public static boolean matches(String dialled) {
        return dialled != null && CODE.matcher(dialled).matches();
    }

    /** The prompt a code records to: {@code *3012} → {@code phone-12.wav}. */
    static String promptName(String dialled) {
        Matcher m = CODE.matcher(dialled);
        if (!m.matches()) throw new IllegalArgumentException(dialled);
        return "phone-" + m.group(1) + ".wav";
    }

    /** Whether the user (of the calling extension) may record prompts: their role has ivr.write. */
    static boolean mayRecord(Jdbi jdbi, long enterpriseId, Long userId) {
        if (userId == null) return false;
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM app_user u JOIN role_permission p ON p.role_id = u.role_id "
                        + "WHERE u.id = :u AND u.enterprise_id = :e AND u.enabled = TRUE AND p.permission = :p")
                .bind("u", userId).bind("e", enterpriseId).bind("p", dev.hotline.auth.Permission.IVR_WRITE.key()).mapTo(Long.class).one() > 0);
    }

    /**
     * Answers the calling extension's channel and records prompt {@code phone-<n>.wav} from it, if the
     * extension's user ({@code userId}) may; {@code host} logs and is told when the session ends.
     */
    public static void start(Jdbi jdbi, IvrRunner runner, long enterpriseId, String callId, Channel channel, Long userId, String dialled,
                             IvrHost host) {
        boolean allowed;
        try {
            allowed = mayRecord(jdbi, enterpriseId, userId);
        } catch (RuntimeException e) {
            log.error("call {}: cannot check who records a prompt: {}", callId, e.toString());
            allowed = false;
        }
        runner.record(new Session(runner.ivr(), enterpriseId, callId, channel, promptName(dialled), allowed, host));
    }

    /** One call recording a prompt; events come from {@link IvrRunner#onEvent}. */
    static final class Session {
        private enum Step { ANSWER, BEEP, RECORDING, STOPPING, CLOSING, DONE }

        private final Ivr ivr;
        private final long enterpriseId;
        private final String callId;
        private final Channel channel;
        private final String name;
        private final boolean allowed;
        private final IvrHost host;
        private Step step = Step.ANSWER;
        private String playbackId;
        private Recording recording;
        private boolean hungUp;

        Session(Ivr ivr, long enterpriseId, String callId, Channel channel, String name, boolean allowed, IvrHost host) {
            this.ivr = ivr;
            this.enterpriseId = enterpriseId;
            this.callId = callId;
            this.channel = channel;
            this.name = name;
            this.allowed = allowed;
            this.host = host;
        }

        String channelId() {
            return channel.id();
        }

        synchronized void start() {
            channel.answer();
        }

        /** Handles the event; true when the session is over. */
        synchronized boolean onEvent(CallEvent e) {
            if (e instanceof CallEvent.ChannelAnswered && step == Step.ANSWER) {
                host.logNode(callId, channel.id(), "record-prompt", name, allowed ? "record" : "refused");
                if (allowed) {
                    step = Step.BEEP;
                    play(PromptKey.BEEP);
                } else {
                    step = Step.CLOSING;
                    play(PromptKey.INVALID_INPUT);
                }
            } else if (e instanceof CallEvent.PlaybackFinished f && f.playbackId().equals(playbackId)) {
                if (step == Step.BEEP) {
                    step = Step.RECORDING;
                    recording = channel.record(partFile(), RecordFormat.PCM, RecordMode.MONO);
                    // # (or any key) ends the prompt; so does hanging up, or the longest length.
                    channel.collectDigits(1, '#', MAX_LENGTH, MAX_LENGTH);
                } else if (step == Step.CLOSING) {
                    channel.hangup(HangupCause.NORMAL_CLEARING);
                    return done();
                }
            } else if (e instanceof CallEvent.DigitsCollected d && step == Step.RECORDING) {
                if (d.end() != CollectEnd.HANGUP && d.end() != CollectEnd.CANCELLED) {
                    step = Step.STOPPING;
                    String key = d.end() == CollectEnd.TERMINATOR ? "#" : d.digits().isEmpty() ? "timeout" : d.digits();
                    host.logKey(callId, channel.id(), "record-prompt", name, key);
                    recording.stop(); // RecordingFinished then keeps the prompt
                }
            } else if (e instanceof CallEvent.RecordingFinished f && recording != null && f.recordingId().equals(recording.id())) {
                boolean kept = keep();
                if (hungUp) return done();
                step = Step.CLOSING;
                if (kept) play(PromptKey.BEEP, PromptKey.THANK_YOU_FOR_CALLING);
                else play(PromptKey.INVALID_INPUT);
            } else if (e instanceof CallEvent.ChannelHungUp) {
                hungUp = true;
                if (step == Step.RECORDING || step == Step.STOPPING) return false; // the recording's end keeps what was said
                return done();
            }
            return false;
        }

        private boolean done() {
            step = Step.DONE;
            host.ended(channel.id());
            return true;
        }

        private void play(PromptKey... keys) {
            try {
                playbackId = channel.play(new PlaybackRequest(List.of(new PlaybackRequest.Item.Clip(ivr.shipped(Language.ZH, keys))), false, false)).id();
            } catch (RuntimeException ex) { // the caller has just left; the hang-up ends the session
                log.debug("call {}: cannot play: {}", callId, ex.toString());
            }
        }

        private Path partFile() {
            return ivr.promptFile(enterpriseId, name + ".recording");
        }

        /** The recording becomes the prompt (converted and checked like an upload); false if it is unusable. */
        private boolean keep() {
            Path part = partFile();
            try (InputStream in = Files.newInputStream(part)) {
                long ms = PromptRoutes.convert(in, false, ivr.promptFile(enterpriseId, name));
                log.info("call {}: prompt {} recorded by phone ({} ms)", callId, name, ms);
                return true;
            } catch (IOException | RuntimeException ex) {
                log.warn("call {}: prompt {} recorded by phone not kept: {}", callId, name, ex.getMessage());
                return false;
            } finally {
                try {
                    Files.deleteIfExists(part);
                } catch (IOException ex) {
                    log.warn("cannot delete {}: {}", part, ex.toString());
                }
            }
        }
    }
}
