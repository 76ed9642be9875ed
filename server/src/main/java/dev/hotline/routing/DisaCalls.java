package dev.hotline.routing;

import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.engine.call.PlaybackRequest;
import dev.hotline.engine.media.AudioClip;
import dev.hotline.engine.tts.Language;
import dev.hotline.engine.tts.PromptKey;
import dev.hotline.ivr.Ivr;
import dev.hotline.report.CallLogEvent;
import dev.hotline.routing.CallBook.Call;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PBX-6 DISA calls: a caller sent to a DISA entry is answered, hears the entry's welcome (an uploaded prompt or a TTS
 * text) and is asked for a PIN in the entry's language (shipped prompts; RFC 4733 keys, typed ahead during the prompts,
 * ended by # or the entry's digit timeout); the PIN says which extension the caller acts as. Three wrong PINs end the
 * call. An authorised caller hears an internal dial tone (450 Hz, continuous) and keys a number or one of the
 * extension's feature codes (ended by # or the digit timeout), which the router then places or applies exactly as that
 * extension's phone would. Each step is a {@code pbx} event of the call.
 */
final class DisaCalls {
    private static final Logger log = LoggerFactory.getLogger(DisaCalls.class);
    static final int PIN_TRIES = 3;
    static final int MAX_PIN_DIGITS = 12;
    static final int MAX_NUMBER_DIGITS = 32;
    static final Duration FIRST_DIGIT = Duration.ofSeconds(10);

    /**
     * The router's side: place {@code dialled} (a number or a feature code) for an answered caller as extension
     * {@code extension} would; what it plays is in {@code language} where it can be.
     */
    interface Dialler {
        void dialAs(Call c, Channel ch, String extension, String dialled, Language language);
    }

    /** Where a DISA caller is; each stage allows only the moves listed. */
    enum Stage {
        ANSWERING, PIN, NUMBER, DIALLED;

        boolean canMoveTo(Stage to) {
            return switch (this) {
                case ANSWERING -> to == PIN;
                case PIN -> to == PIN || to == NUMBER;
                case NUMBER -> to == DIALLED;
                case DIALLED -> false;
            };
        }
    }

    /** A caller in DISA; {@code prompt}: the playback asking for the PIN, whose end starts the collection of the keys. */
    private record Session(Call call, DisaStore.Entry entry, Stage stage, int wrongPins, String extension, String prompt) {
        Session withPrompt(String playbackId) {
            return new Session(call, entry, stage, wrongPins, extension, playbackId);
        }

        Language language() {
            return "en".equals(entry.language()) ? Language.EN : Language.ZH;
        }
    }

    private final RoutingData data;
    private final CallBook book;
    private final Ivr ivr;
    private final Dialler dialler;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final AudioClip dialTone = dialTone();

    DisaCalls(RoutingData data, CallBook book, Ivr ivr, Dialler dialler) {
        this.data = data;
        this.book = book;
        this.ivr = ivr;
        this.dialler = dialler;
    }

    /** 1 s of the 450 Hz dial tone (China's, GB 16838; looped), at about -10 dBm0. */
    static AudioClip dialTone() {
        short[] s = new short[AudioClip.SAMPLE_RATE];
        for (int i = 0; i < s.length; i++) s[i] = (short) Math.round(7000 * Math.sin(2 * Math.PI * 450 * i / (double) AudioClip.SAMPLE_RATE));
        return AudioClip.of(s);
    }

    /** The enterprise's DISA entry {@code name}, when it exists and is enabled. */
    Optional<DisaStore.Entry> entry(long enterpriseId, String name) {
        return data.tenant(enterpriseId).map(t -> t.disa().entries().get(name)).filter(DisaStore.Entry::enabled);
    }

    /** Takes caller {@code ch} into DISA entry {@code entry}: answered (unless it is), then asked for a PIN. */
    void enter(Call c, Channel ch, DisaStore.Entry entry) {
        book.record(c, new CallLogEvent.PbxFeature(c.enterpriseId(), c.callId(), book.now(), ch.id(), "disa", entry.name()));
        Session s = new Session(c, entry, Stage.ANSWERING, 0, null, null);
        sessions.put(ch.id(), s);
        if (ch.state().isAnswered()) askPin(s, ch, false);
        else ch.answer();
    }

    /** Events of DISA callers; true when the event was only theirs (digits). */
    boolean onEvent(CallEvent event) {
        if (event instanceof CallEvent.ChannelAnswered a) {
            Session s = sessions.get(a.channelId());
            if (s != null && s.stage() == Stage.ANSWERING) data.engine().channel(a.channelId()).ifPresent(ch -> askPin(s, ch, false));
            return false;
        }
        if (event instanceof CallEvent.PlaybackFinished f) {
            Session s = sessions.get(f.channelId());
            if (s == null || s.stage() != Stage.PIN || !f.playbackId().equals(s.prompt())) return false;
            data.engine().channel(f.channelId()).ifPresent(ch -> collectPin(s, ch));
            return true;
        }
        if (event instanceof CallEvent.DigitsCollected d) {
            Session s = sessions.get(d.channelId());
            if (s == null || s.stage() == Stage.ANSWERING || s.stage() == Stage.DIALLED) return false;
            Channel ch = data.engine().channel(d.channelId()).orElse(null);
            if (ch == null) {
                sessions.remove(d.channelId());
                return true;
            }
            if (s.stage() == Stage.PIN) pinKeyed(s, ch, d.digits());
            else numberKeyed(s, ch, d.digits());
            return true;
        }
        if (event instanceof CallEvent.ChannelHungUp h) sessions.remove(h.channelId());
        return false;
    }

    /** The one place a caller's stage changes; an illegal move is a bug and fails loudly. */
    private Session move(Session s, Channel ch, Stage to, int wrongPins, String extension) {
        if (!s.stage().canMoveTo(to)) throw new IllegalStateException("DISA caller " + ch.id() + ": " + s.stage() + " -> " + to);
        Session next = new Session(s.call(), s.entry(), to, wrongPins, extension, null);
        if (to == Stage.DIALLED) sessions.remove(ch.id());
        else sessions.put(ch.id(), next);
        return next;
    }

    /**
     * Asks for the PIN in the entry's language: the first time after the entry's welcome, again after a wrong one. Keys
     * typed meanwhile stop the prompt and count: the collection starts when the prompt ends ({@link #collectPin}).
     */
    private void askPin(Session s, Channel ch, boolean again) {
        Session asking = move(s, ch, Stage.PIN, s.wrongPins(), null);
        PromptKey[] keys = again ? new PromptKey[] {PromptKey.INVALID_INPUT} : new PromptKey[] {PromptKey.PLEASE_ENTER, PromptKey.END_WITH_POUND};
        PlaybackRequest.Item pin = new PlaybackRequest.Item.Clip(ivr.shipped(asking.language(), keys));
        DisaStore.Entry e = asking.entry();
        CompletableFuture<Optional<PlaybackRequest.Item>> welcome;
        if (again || e.welcomePrompt() == null && e.welcomeText() == null) {
            welcome = CompletableFuture.completedFuture(Optional.empty());
        } else if (e.welcomePrompt() != null) {
            welcome = CompletableFuture.completedFuture(Optional.of(new PlaybackRequest.Item.File(ivr.promptFile(asking.call().enterpriseId(),
                    e.welcomePrompt()))));
        } else { // spoken off the call's thread (cached once rendered)
            welcome = ivr.speak(e.welcomeText(), asking.language()).thenApply(clip -> Optional.of(new PlaybackRequest.Item.Clip(clip)));
        }
        welcome.whenComplete((w, err) -> {
            if (sessions.get(ch.id()) != asking) return; // the caller went meanwhile
            if (err != null) log.warn("DISA {}: welcome of channel {} not played: {}", e.name(), ch.id(), err.toString());
            List<PlaybackRequest.Item> items = err == null && w.isPresent() ? List.of(w.get(), pin) : List.of(pin);
            String playback;
            try {
                playback = ch.play(new PlaybackRequest(items, false, true)).id();
            } catch (RuntimeException x) { // an uploaded prompt gone from the disk: the PIN prompt alone
                log.warn("DISA {}: welcome of channel {} not played: {}", e.name(), ch.id(), x.toString());
                playback = ch.play(new PlaybackRequest(List.of(pin), false, true)).id();
            }
            if (!sessions.replace(ch.id(), asking, asking.withPrompt(playback))) ch.stopPlayback();
        });
    }

    /** The PIN prompt ended (played out or stopped by a key): the keys, those typed during it first. */
    private void collectPin(Session s, Channel ch) {
        ch.collectDigits(MAX_PIN_DIGITS, '#', FIRST_DIGIT, Duration.ofSeconds(s.entry().digitTimeoutSeconds()));
    }

    private void pinKeyed(Session s, Channel ch, String digits) {
        Call c = s.call();
        Optional<String> extension = data.tenant(c.enterpriseId()).flatMap(t -> t.disa().extensionOf(digits)
                .filter(x -> t.extensions().containsKey(x) && t.extensions().get(x).enabled()));
        if (extension.isPresent()) {
            ch.stopPlayback();
            book.record(c, new CallLogEvent.PbxFeature(c.enterpriseId(), c.callId(), book.now(), ch.id(), "disa-pin",
                    "ok " + s.entry().name() + " as " + extension.get()));
            Session next = move(s, ch, Stage.NUMBER, s.wrongPins(), extension.get());
            ch.play(new PlaybackRequest(List.of(new PlaybackRequest.Item.Clip(dialTone)), true, true));
            ch.collectDigits(MAX_NUMBER_DIGITS, '#', FIRST_DIGIT, Duration.ofSeconds(next.entry().digitTimeoutSeconds()));
            return;
        }
        int wrong = s.wrongPins() + 1;
        book.record(c, new CallLogEvent.PbxFeature(c.enterpriseId(), c.callId(), book.now(), ch.id(), "disa-pin",
                "wrong " + wrong + "/" + PIN_TRIES + " " + s.entry().name()));
        if (wrong < PIN_TRIES) {
            askPin(new Session(c, s.entry(), s.stage(), wrong, null, null), ch, true);
            return;
        }
        sessions.remove(ch.id());
        log.warn("DISA {} of enterprise {}: {} wrong PINs from {} (channel {}), hung up", s.entry().name(), c.enterpriseId(), PIN_TRIES,
                ch.caller() == null ? "?" : ch.caller().user(), ch.id());
        book.record(c, new CallLogEvent.Rejected(c.enterpriseId(), c.callId(), book.now(), ch.id(), 403,
                "DISA " + s.entry().name() + ": " + PIN_TRIES + " wrong PINs"));
        ch.hangup(HangupCause.CALL_REJECTED);
    }

    private void numberKeyed(Session s, Channel ch, String digits) {
        Call c = s.call();
        ch.stopPlayback();
        move(s, ch, Stage.DIALLED, s.wrongPins(), s.extension());
        // a number, or a feature code of the extension (PBX-3/4: *78, *72<n>, **<ext>, *8 ...)
        if (digits == null || !digits.matches("\\+?[0-9]{1," + MAX_NUMBER_DIGITS + "}") && !PbxFeatures.isCode(digits)
                && !VoicemailAccess.CODE.equals(digits)) {
            book.record(c, new CallLogEvent.Rejected(c.enterpriseId(), c.callId(), book.now(), ch.id(), 484,
                    "DISA " + s.entry().name() + ": no number keyed"));
            ch.hangup(HangupCause.NORMAL_CLEARING);
            return;
        }
        book.record(c, new CallLogEvent.PbxFeature(c.enterpriseId(), c.callId(), book.now(), ch.id(), "disa-dial", s.extension() + ">" + digits));
        dialler.dialAs(c, ch, s.extension(), digits, s.language());
    }
}
