package dev.hotline.routing;

import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.engine.call.PlaybackRequest;
import dev.hotline.engine.media.AudioClip;
import dev.hotline.engine.tts.Language;
import dev.hotline.engine.tts.PromptKey;
import dev.hotline.engine.tts.PromptLibrary;
import dev.hotline.engine.tts.Utterance;
import dev.hotline.ivr.Ivr;
import dev.hotline.report.CallLogEvent;
import dev.hotline.routing.CallBook.Call;
import dev.hotline.voicemail.VoicemailStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MSG-1 from a phone (issue 18): the feature code {@value #CODE} plays the new messages of the caller's extension box: how
 * many (the number, said with the shipped prompts), then each message after a beep, oldest first (at most
 * {@value #MAX_MESSAGES}), then goodbye; played to the end, they are marked handled by the extension, as the inbox page
 * would. Dialled from an extension's phone, or by a DISA caller (PBX-6) as the PIN's extension, in the entry's language.
 * A {@code pbx} event of the call says how many were played.
 */
final class VoicemailAccess {
    private static final Logger log = LoggerFactory.getLogger(VoicemailAccess.class);
    static final String CODE = "*97";
    static final int MAX_MESSAGES = 10;

    /** A caller listening: its enterprise and extension, the messages played, the playback (null until answered). */
    private record Listening(Call call, String extension, List<Long> messages, PlaybackRequest request, String playbackId) {}

    private final RoutingData data;
    private final CallBook book;
    private final Jdbi jdbi;
    private final PromptLibrary prompts = PromptLibrary.shipped();
    private final Map<String, Listening> listening = new ConcurrentHashMap<>();

    VoicemailAccess(RoutingData data, CallBook book, Jdbi jdbi) {
        this.data = data;
        this.book = book;
        this.jdbi = jdbi;
    }

    /** Plays the new messages of {@code extension}'s box to {@code ch} (answered first unless it is). */
    void listen(Call c, Channel ch, String extension, Language language) {
        long e = c.enterpriseId();
        List<Long> ids = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        jdbi.useHandle(h -> {
            List<VoicemailStore.Message> fresh = VoicemailStore.list(h, e, new VoicemailStore.Filter("extension", extension, false));
            for (int i = fresh.size() - 1; i >= 0 && ids.size() < MAX_MESSAGES; i--) { // the list is newest first
                var file = VoicemailStore.file(h, e, fresh.get(i).id()).filter(Files::isRegularFile);
                if (file.isEmpty()) continue;
                ids.add(fresh.get(i).id());
                files.add(file.get());
            }
        });
        AudioClip beep = AudioClip.of(prompts.render(Utterance.of(language, PromptKey.BEEP)));
        List<PlaybackRequest.Item> items = new ArrayList<>();
        items.add(new PlaybackRequest.Item.Clip(AudioClip.of(prompts.render(Ivr.say(language, "number", String.valueOf(ids.size()))))));
        for (Path f : files) {
            items.add(new PlaybackRequest.Item.Clip(beep));
            items.add(new PlaybackRequest.Item.File(f));
        }
        items.add(new PlaybackRequest.Item.Clip(AudioClip.of(prompts.render(Utterance.of(language, PromptKey.GOODBYE)))));
        book.record(c, new CallLogEvent.PbxFeature(e, c.callId(), book.now(), ch.id(), "voicemail-access", extension + " new=" + ids.size()));
        Listening l = new Listening(c, extension, List.copyOf(ids), new PlaybackRequest(items, false, false), null);
        listening.put(ch.id(), l);
        if (ch.state().isAnswered()) play(l, ch);
        else ch.answer();
    }

    private void play(Listening l, Channel ch) {
        try {
            String id = ch.play(l.request()).id();
            listening.replace(ch.id(), l, new Listening(l.call(), l.extension(), l.messages(), l.request(), id));
        } catch (RuntimeException x) { // a message's file unreadable
            log.warn("voicemail of {} not played to {}: {}", l.extension(), ch.id(), x.toString());
            listening.remove(ch.id());
            ch.hangup(HangupCause.NORMAL_CLEARING);
        }
    }

    /** Events of listening callers; true when the event was only theirs (their playback's end). */
    boolean onEvent(CallEvent event) {
        if (event instanceof CallEvent.ChannelAnswered a) {
            Listening l = listening.get(a.channelId());
            if (l != null && l.playbackId() == null) data.engine().channel(a.channelId()).ifPresent(ch -> play(l, ch));
            return false;
        }
        if (event instanceof CallEvent.PlaybackFinished f) {
            Listening l = listening.get(f.channelId());
            if (l == null || !f.playbackId().equals(l.playbackId())) return false;
            listening.remove(f.channelId());
            if (f.completed() && !l.messages().isEmpty()) handled(l);
            data.engine().channel(f.channelId()).ifPresent(ch -> ch.hangup(HangupCause.NORMAL_CLEARING));
            return true;
        }
        if (event instanceof CallEvent.ChannelHungUp h) listening.remove(h.channelId());
        return false;
    }

    /** The messages were heard to the end: handled by the extension, as from the inbox. */
    private void handled(Listening l) {
        long e = l.call().enterpriseId();
        var at = book.now();
        try {
            jdbi.useTransaction(h -> {
                for (long id : l.messages()) VoicemailStore.setHandled(h, e, id, true, "phone:" + l.extension(), at);
            });
        } catch (RuntimeException x) {
            log.warn("voicemail of {}: messages not marked handled: {}", l.extension(), x.toString());
        }
    }
}
