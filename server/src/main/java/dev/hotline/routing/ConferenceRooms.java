package dev.hotline.routing;

import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.Conference;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.engine.call.PlaybackRequest;
import dev.hotline.engine.call.TelephonyEngine;
import dev.hotline.engine.media.AudioClip;
import dev.hotline.engine.tts.Language;
import dev.hotline.engine.tts.PromptKey;
import dev.hotline.engine.tts.PromptLibrary;
import dev.hotline.engine.tts.Utterance;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Conference rooms (PBX-5): rooms of an enterprise dialled by number from its extensions or reached
 * from a DID; a caller is answered, asked for the room's PIN when it has one (three tries), then
 * joins the room's mix. A room's engine conference opens with its first participant and closes
 * with its last.
 */
final class ConferenceRooms {
    private static final Logger log = LoggerFactory.getLogger(ConferenceRooms.class);
    static final int PIN_TRIES = 3;

    /** A room as configured. The PIN stays server-side; the API shows only whether there is one. */
    record Room(long id, String number, String name, String pin, boolean record) {}

    /** A caller being asked for a PIN. */
    private record PinEntry(long enterpriseId, Room room, int tries) {}

    private final Supplier<TelephonyEngine> engine;
    private final Map<String, PinEntry> pinEntries = new ConcurrentHashMap<>();
    /** Callers answered but not yet up (the engine answers asynchronously). */
    private final Map<String, PinEntry> answering = new ConcurrentHashMap<>();
    private final Map<String, Conference> open = new ConcurrentHashMap<>();
    /** channel id → room key, for leaving. */
    private final Map<String, String> members = new ConcurrentHashMap<>();
    private final PromptLibrary prompts = PromptLibrary.shipped();

    /** Called when a room's conference opens, e.g. to start recording it. */
    private final BiConsumer<Long, Conference> onOpen;
    private final Map<String, Room> roomOf = new ConcurrentHashMap<>();

    ConferenceRooms(Supplier<TelephonyEngine> engine, BiConsumer<Long, Conference> onOpen) {
        this.engine = engine;
        this.onOpen = onOpen;
    }

    static Map<String, Room> load(Handle h, long enterpriseId) {
        Map<String, Room> rooms = new HashMap<>();
        h.createQuery("SELECT id, number, name, pin, record FROM conference_room WHERE enterprise_id = :e").bind("e", enterpriseId)
                .map((rs, c) -> new Room(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBoolean(5)))
                .forEach(r -> rooms.put(r.number(), r));
        return Map.copyOf(rooms);
    }

    static String key(long enterpriseId, String number) {
        return enterpriseId + ":" + number;
    }

    /** Live participants of a room. */
    int participants(long enterpriseId, String number) {
        Conference c = open.get(key(enterpriseId, number));
        return c == null ? 0 : c.participants().size();
    }

    /** Answers {@code ch} and takes it into {@code room}, through the PIN prompt when the room has a PIN. */
    void enter(long enterpriseId, Channel ch, Room room) {
        if (ch.state().isAnswered()) { // e.g. transferred here from an IVR
            answered(enterpriseId, ch, room);
            return;
        }
        answering.put(ch.id(), new PinEntry(enterpriseId, room, 0));
        ch.answer();
    }

    /** The caller is up: PIN prompt or straight in. */
    private void answered(long enterpriseId, Channel ch, Room room) {
        if (room.pin() == null || room.pin().isEmpty()) {
            join(enterpriseId, ch, room);
            return;
        }
        pinEntries.put(ch.id(), new PinEntry(enterpriseId, room, 0));
        ask(ch, PromptKey.PLEASE_ENTER, PromptKey.END_WITH_POUND);
    }

    private void ask(Channel ch, PromptKey... keys) {
        AudioClip clip = AudioClip.of(prompts.render(Utterance.of(Language.ZH, keys)));
        ch.play(new PlaybackRequest(List.of(new PlaybackRequest.Item.Clip(clip)), false, true));
        ch.collectDigits(8, '#', Duration.ofSeconds(10), Duration.ofSeconds(5));
    }

    /** Handles the events of channels this class is responsible for; true when the event was theirs. */
    boolean onEvent(CallEvent event) {
        if (event instanceof CallEvent.ChannelAnswered a) {
            PinEntry p = answering.remove(a.channelId());
            if (p != null) engine.get().channel(a.channelId()).ifPresent(ch -> answered(p.enterpriseId(), ch, p.room()));
            return false; // the call router records the answer
        }
        if (event instanceof CallEvent.DigitsCollected d) {
            PinEntry p = pinEntries.get(d.channelId());
            if (p == null) return false;
            Channel ch = engine.get().channel(d.channelId()).orElse(null);
            if (ch == null) {
                pinEntries.remove(d.channelId());
                return true;
            }
            if (p.room().pin().equals(d.digits())) {
                pinEntries.remove(d.channelId());
                ch.stopPlayback();
                join(p.enterpriseId(), ch, p.room());
            } else if (p.tries() + 1 >= PIN_TRIES) {
                pinEntries.remove(d.channelId());
                log.info("conference {}: wrong PIN {} times from {}", p.room().number(), PIN_TRIES, d.channelId());
                ch.hangup(HangupCause.CALL_REJECTED);
            } else {
                pinEntries.put(d.channelId(), new PinEntry(p.enterpriseId(), p.room(), p.tries() + 1));
                ask(ch, PromptKey.INVALID_INPUT);
            }
            return true;
        }
        if (event instanceof CallEvent.ChannelHungUp h) {
            pinEntries.remove(h.channelId());
            answering.remove(h.channelId());
            leave(h.channelId());
            return false; // the call router records the hang-up too
        }
        if (event instanceof CallEvent.ConferenceLeft l) {
            leave(l.channelId());
            return true;
        }
        return event instanceof CallEvent.ConferenceJoined;
    }

    private void join(long enterpriseId, Channel ch, Room room) {
        String k = key(enterpriseId, room.number());
        boolean[] created = {false};
        Conference conf = open.computeIfAbsent(k, x -> {
            created[0] = true;
            return engine.get().createConference("room " + room.number());
        });
        if (created[0] && room.record()) onOpen.accept(enterpriseId, conf);
        members.put(ch.id(), k);
        conf.add(ch);
    }

    private void leave(String channelId) {
        String k = members.remove(channelId);
        if (k == null) return;
        Conference conf = open.get(k);
        if (conf == null) return;
        try {
            engine.get().channel(channelId).ifPresent(conf::remove);
        } catch (RuntimeException e) {
            log.debug("channel {} already gone from {}: {}", channelId, k, e.toString());
        }
        if (!members.containsValue(k)) {
            open.remove(k);
            conf.close();
        }
    }
}
