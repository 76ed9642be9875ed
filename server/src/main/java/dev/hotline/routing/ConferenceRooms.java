package dev.hotline.routing;

import dev.hotline.domain.DomainException;
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
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Conference rooms (PBX-5): rooms of an enterprise dialled by number from its extensions or reached
 * from a DID; a caller is answered, asked for a PIN when the room has one (three tries): the room's
 * PIN joins as a participant, its moderator PIN as a moderator. A room's engine conference opens with
 * its first participant and closes with its last. Moderation (from the API or a moderator's keys):
 * mute / unmute one or all, remove, lock / unlock, start / stop recording. A scheduled room lets callers
 * in only within its window and, once its end comes, ends its calls with a goodbye.
 */
final class ConferenceRooms {
    private static final Logger log = LoggerFactory.getLogger(ConferenceRooms.class);
    static final int PIN_TRIES = 3;
    /** A moderator's key command is * then a digit within this time. */
    static final Duration KEY_COMMAND = Duration.ofSeconds(3);

    /** A room as configured. The PINs stay server-side; the API shows only whether there are some. */
    record Room(long id, String number, String name, String pin, boolean record, String moderatorPin, Instant openFrom, Instant openUntil) {
        boolean hasPin() {
            return pin != null && !pin.isEmpty();
        }

        boolean hasModeratorPin() {
            return moderatorPin != null && !moderatorPin.isEmpty();
        }

        /** Whether callers may come in at {@code now} by the room's schedule (always, without one). */
        boolean openAt(Instant now) {
            return (openFrom == null || !now.isBefore(openFrom)) && (openUntil == null || now.isBefore(openUntil));
        }
    }

    /** Starts and stops the recording of a room's mix (the recording package). */
    interface Recorder {
        void start(long enterpriseId, Conference conference);

        boolean stop(Conference conference);
    }

    /** Where a moderation step is written: on the call of {@code channelId} (the call's events). */
    interface Journal {
        void moderation(String channelId, String detail);
    }

    /** What a moderator can do to the whole room. */
    enum RoomAction {
        MUTE_ALL("mute-all"), UNMUTE_ALL("unmute-all"), LOCK("lock"), UNLOCK("unlock"), RECORD("record"), STOP_RECORD("stop-record");

        final String key;

        RoomAction(String key) {
            this.key = key;
        }

        static Optional<RoomAction> parse(String s) {
            for (RoomAction a : values()) if (a.key.equals(s)) return Optional.of(a);
            return Optional.empty();
        }
    }

    /** What a moderator can do to one participant. */
    enum ParticipantAction {
        MUTE("mute"), UNMUTE("unmute"), REMOVE("remove");

        final String key;

        ParticipantAction(String key) {
            this.key = key;
        }

        static Optional<ParticipantAction> parse(String s) {
            for (ParticipantAction a : values()) if (a.key.equals(s)) return Optional.of(a);
            return Optional.empty();
        }
    }

    /** One participant as the API shows it. */
    public record Participant(String channelId, String caller, boolean moderator, boolean muted, Instant joinedAt) {}

    /** A room's live state: empty rooms are closed, neither locked nor recorded. */
    public record LiveRoom(String number, boolean locked, boolean recording, boolean allMuted, List<Participant> participants) {}

    /** A caller being asked for a PIN, or answered to be refused with a prompt. */
    private record Pending(long enterpriseId, Room room, int tries, boolean refuse) {}

    /** An open room. Its flags change under its monitor. */
    private static final class Live {
        final long enterpriseId;
        final Room room;
        final Conference conf;
        final Map<String, Participant> participants = new ConcurrentHashMap<>();
        boolean locked;
        boolean recording;
        boolean allMuted;
        boolean closing;

        Live(long enterpriseId, Room room, Conference conf) {
            this.enterpriseId = enterpriseId;
            this.room = room;
            this.conf = conf;
        }
    }

    private final Supplier<TelephonyEngine> engine;
    private final Recorder recorder;
    private final Journal journal;
    private final Clock clock;
    private final Map<String, Pending> pinEntries = new ConcurrentHashMap<>();
    /** Callers answered but not yet up (the engine answers asynchronously). */
    private final Map<String, Pending> answering = new ConcurrentHashMap<>();
    private final Map<String, Live> open = new ConcurrentHashMap<>();
    /** channel id → room key, for leaving. */
    private final Map<String, String> members = new ConcurrentHashMap<>();
    /** Channels hearing a last prompt, hung up when it ends. */
    private final Map<String, Boolean> farewells = new ConcurrentHashMap<>();
    /** Moderators who pressed * and when. */
    private final Map<String, Instant> star = new ConcurrentHashMap<>();
    private final PromptLibrary prompts = PromptLibrary.shipped();
    private final ScheduledExecutorService closer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "conference-schedule");
        t.setDaemon(true);
        return t;
    });

    ConferenceRooms(Supplier<TelephonyEngine> engine, Recorder recorder, Journal journal, Clock clock) {
        this.engine = engine;
        this.recorder = recorder;
        this.journal = journal;
        this.clock = clock;
    }

    void close() {
        closer.shutdownNow();
    }

    static Map<String, Room> load(Handle h, long enterpriseId) {
        Map<String, Room> rooms = new HashMap<>();
        h.createQuery("SELECT id, number, name, pin, record, moderator_pin, open_from, open_until FROM conference_room WHERE enterprise_id = :e")
                .bind("e", enterpriseId)
                .map((rs, c) -> new Room(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBoolean(5), rs.getString(6),
                        instant(rs.getTimestamp(7)), instant(rs.getTimestamp(8))))
                .forEach(r -> rooms.put(r.number(), r));
        return Map.copyOf(rooms);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    static String key(long enterpriseId, String number) {
        return enterpriseId + ":" + number;
    }

    /** Live participants of a room. */
    int participants(long enterpriseId, String number) {
        Live l = open.get(key(enterpriseId, number));
        return l == null ? 0 : l.participants.size();
    }

    /** The live state of a room (closed: nobody in it). */
    LiveRoom live(long enterpriseId, String number) {
        Live l = open.get(key(enterpriseId, number));
        if (l == null) return new LiveRoom(number, false, false, false, List.of());
        synchronized (l) {
            return new LiveRoom(number, l.locked, l.recording, l.allMuted, l.participants.values().stream()
                    .sorted(Comparator.comparing(Participant::joinedAt)).toList());
        }
    }

    /** Answers {@code ch} and takes it into {@code room}, through the PIN prompt when the room has a PIN. */
    void enter(long enterpriseId, Channel ch, Room room) {
        boolean refuse = !room.openAt(clock.instant());
        if (ch.state().isAnswered()) { // e.g. transferred here from an IVR
            if (refuse) farewell(ch, PromptKey.TRY_LATER);
            else answered(enterpriseId, ch, room);
            return;
        }
        answering.put(ch.id(), new Pending(enterpriseId, room, 0, refuse));
        ch.answer();
    }

    /** The caller is up: PIN prompt or straight in. */
    private void answered(long enterpriseId, Channel ch, Room room) {
        if (!room.hasPin() && !room.hasModeratorPin()) {
            join(enterpriseId, ch, room, false);
            return;
        }
        pinEntries.put(ch.id(), new Pending(enterpriseId, room, 0, false));
        ask(ch, PromptKey.PLEASE_ENTER, PromptKey.END_WITH_POUND);
    }

    private void ask(Channel ch, PromptKey... keys) {
        AudioClip clip = AudioClip.of(prompts.render(Utterance.of(Language.ZH, keys)));
        ch.play(new PlaybackRequest(List.of(new PlaybackRequest.Item.Clip(clip)), false, true));
        ch.collectDigits(8, '#', Duration.ofSeconds(10), Duration.ofSeconds(5));
    }

    /** A last prompt, then the caller is hung up on. */
    private void farewell(Channel ch, PromptKey... keys) {
        farewells.put(ch.id(), Boolean.TRUE);
        AudioClip clip = AudioClip.of(prompts.render(Utterance.of(Language.ZH, keys)));
        ch.play(new PlaybackRequest(List.of(new PlaybackRequest.Item.Clip(clip)), false, false));
    }

    /** Handles the events of channels this class is responsible for; true when the event was theirs. */
    boolean onEvent(CallEvent event) {
        if (event instanceof CallEvent.ChannelAnswered a) {
            Pending p = answering.remove(a.channelId());
            if (p != null) engine.get().channel(a.channelId()).ifPresent(ch -> {
                if (p.refuse()) farewell(ch, PromptKey.TRY_LATER);
                else answered(p.enterpriseId(), ch, p.room());
            });
            return false; // the call router records the answer
        }
        if (event instanceof CallEvent.PlaybackFinished f && farewells.remove(f.channelId()) != null) {
            engine.get().channel(f.channelId()).ifPresent(ch -> ch.hangup(HangupCause.NORMAL_CLEARING));
            return true;
        }
        if (event instanceof CallEvent.DigitsCollected d) {
            Pending p = pinEntries.get(d.channelId());
            if (p == null) return false;
            Channel ch = engine.get().channel(d.channelId()).orElse(null);
            if (ch == null) {
                pinEntries.remove(d.channelId());
                return true;
            }
            pinKeyed(p, ch, d.digits());
            return true;
        }
        if (event instanceof CallEvent.DtmfReceived k) return moderatorKey(k);
        if (event instanceof CallEvent.ChannelHungUp h) {
            pinEntries.remove(h.channelId());
            answering.remove(h.channelId());
            farewells.remove(h.channelId());
            leave(h.channelId());
            return false; // the call router records the hang-up too
        }
        if (event instanceof CallEvent.ConferenceLeft l) {
            leave(l.channelId());
            return true;
        }
        return event instanceof CallEvent.ConferenceJoined;
    }

    private void pinKeyed(Pending p, Channel ch, String digits) {
        Room room = p.room();
        boolean moderator = room.hasModeratorPin() && room.moderatorPin().equals(digits);
        boolean participant = room.hasPin() ? room.pin().equals(digits) : digits.isEmpty();
        if (moderator || participant) {
            pinEntries.remove(ch.id());
            ch.stopPlayback();
            join(p.enterpriseId(), ch, room, moderator);
        } else if (p.tries() + 1 >= PIN_TRIES) {
            pinEntries.remove(ch.id());
            log.info("conference {}: wrong PIN {} times from {}", room.number(), PIN_TRIES, ch.id());
            ch.hangup(HangupCause.CALL_REJECTED);
        } else {
            pinEntries.put(ch.id(), new Pending(p.enterpriseId(), room, p.tries() + 1, false));
            ask(ch, PromptKey.INVALID_INPUT);
        }
    }

    private void join(long enterpriseId, Channel ch, Room room, boolean moderator) {
        String k = key(enterpriseId, room.number());
        boolean[] created = {false};
        Live live = open.computeIfAbsent(k, x -> {
            created[0] = true;
            return new Live(enterpriseId, room, engine.get().createConference("room " + room.number()));
        });
        boolean muted;
        synchronized (live) {
            if (live.closing || !room.openAt(clock.instant()) || (live.locked && !moderator)) {
                if (created[0]) {
                    open.remove(k, live);
                    live.conf.close();
                }
                farewell(ch, PromptKey.TRY_LATER);
                return;
            }
            if (created[0]) {
                if (room.record()) {
                    recorder.start(enterpriseId, live.conf);
                    live.recording = true;
                }
                if (room.openUntil() != null) {
                    long ms = Math.max(0, Duration.between(clock.instant(), room.openUntil()).toMillis());
                    closer.schedule(() -> closeBySchedule(k, live), ms, TimeUnit.MILLISECONDS);
                }
            }
            muted = live.allMuted && !moderator;
            live.participants.put(ch.id(), new Participant(ch.id(), ch.caller() == null ? null : ch.caller().user(), moderator, muted,
                    clock.instant()));
            members.put(ch.id(), k);
        }
        live.conf.add(ch);
        if (muted) live.conf.mute(ch, true);
        if (moderator) journal.moderation(ch.id(), "moderator joined " + room.number());
    }

    private void leave(String channelId) {
        star.remove(channelId);
        String k = members.remove(channelId);
        if (k == null) return;
        Live live = open.get(k);
        if (live == null) return;
        live.participants.remove(channelId);
        try {
            engine.get().channel(channelId).ifPresent(live.conf::remove);
        } catch (RuntimeException e) {
            log.debug("channel {} already gone from {}: {}", channelId, k, e.toString());
        }
        if (!members.containsValue(k)) {
            open.remove(k, live);
            live.conf.close();
        }
    }

    /** The room's window ended: every participant leaves the mix, hears goodbye and is hung up on. */
    private void closeBySchedule(String k, Live live) {
        List<String> everyone;
        synchronized (live) {
            if (open.get(k) != live) return;
            live.closing = true;
            everyone = List.copyOf(live.participants.keySet());
        }
        log.info("conference {}: its scheduled window ended, closing it with {} participant(s)", live.room.number(), everyone.size());
        for (String id : everyone) {
            engine.get().channel(id).ifPresent(ch -> {
                journal.moderation(id, "closed by schedule " + live.room.number());
                members.remove(id);
                live.participants.remove(id);
                try {
                    live.conf.remove(ch);
                } catch (RuntimeException e) {
                    log.debug("channel {} already gone: {}", id, e.toString());
                }
                farewell(ch, PromptKey.THANK_YOU_FOR_CALLING, PromptKey.GOODBYE);
            });
        }
        open.remove(k, live);
        live.conf.close();
    }

    // --- moderation

    /** A moderator's keys: *1 mute / unmute everyone else, *2 lock / unlock, *3 start / stop recording. */
    private boolean moderatorKey(CallEvent.DtmfReceived k) {
        String roomKey = members.get(k.channelId());
        if (roomKey == null) return false;
        Live live = open.get(roomKey);
        if (live == null) return true;
        Participant me = live.participants.get(k.channelId());
        if (me == null || !me.moderator()) return true;
        if (k.digit() == '*') {
            star.put(k.channelId(), k.at());
            return true;
        }
        Instant pressed = star.remove(k.channelId());
        if (pressed == null || Duration.between(pressed, k.at()).compareTo(KEY_COMMAND) > 0) return true;
        RoomAction action = switch (k.digit()) {
            case '1' -> live.allMuted ? RoomAction.UNMUTE_ALL : RoomAction.MUTE_ALL;
            case '2' -> live.locked ? RoomAction.UNLOCK : RoomAction.LOCK;
            case '3' -> live.recording ? RoomAction.STOP_RECORD : RoomAction.RECORD;
            default -> null;
        };
        if (action != null) {
            apply(live, action);
            journal.moderation(k.channelId(), action.key + " " + live.room.number() + " by keys");
        }
        return true;
    }

    private Live liveRoom(long enterpriseId, String number) {
        Live live = open.get(key(enterpriseId, number));
        if (live == null) throw DomainException.conflict("nobody is in room " + number);
        return live;
    }

    /** A moderator's command to the whole room (API). */
    LiveRoom control(long enterpriseId, String number, RoomAction action) {
        apply(liveRoom(enterpriseId, number), action);
        return live(enterpriseId, number);
    }

    /** A moderator's command to one participant (API); 404 when the channel is not in the room. */
    LiveRoom control(long enterpriseId, String number, String channelId, ParticipantAction action) {
        Live live = liveRoom(enterpriseId, number);
        Participant p = live.participants.get(channelId);
        Channel ch = engine.get().channel(channelId).orElse(null);
        if (p == null || ch == null) throw DomainException.notFound("participant");
        switch (action) {
            case MUTE, UNMUTE -> {
                boolean muted = action == ParticipantAction.MUTE;
                synchronized (live) {
                    live.participants.computeIfPresent(channelId, (id, x) -> new Participant(id, x.caller(), x.moderator(), muted, x.joinedAt()));
                }
                live.conf.mute(ch, muted);
            }
            case REMOVE -> {
                journal.moderation(channelId, "removed from " + number);
                ch.hangup(HangupCause.NORMAL_CLEARING);
            }
        }
        return live(enterpriseId, number);
    }

    private void apply(Live live, RoomAction action) {
        synchronized (live) {
            switch (action) {
                case MUTE_ALL, UNMUTE_ALL -> {
                    boolean muted = action == RoomAction.MUTE_ALL;
                    live.allMuted = muted;
                    for (Participant p : List.copyOf(live.participants.values())) {
                        if (p.moderator()) continue;
                        live.participants.put(p.channelId(), new Participant(p.channelId(), p.caller(), false, muted, p.joinedAt()));
                        engine.get().channel(p.channelId()).ifPresent(ch -> live.conf.mute(ch, muted));
                    }
                }
                case LOCK -> live.locked = true;
                case UNLOCK -> live.locked = false;
                case RECORD -> {
                    if (!live.recording) recorder.start(live.enterpriseId, live.conf);
                    live.recording = true;
                }
                case STOP_RECORD -> {
                    if (live.recording) recorder.stop(live.conf);
                    live.recording = false;
                }
            }
        }
        log.info("conference {}: {}", live.room.number(), action.key);
    }
}
