package dev.hotline.engine.call;

import dev.hotline.engine.amd.AmdParams;
import dev.hotline.engine.amd.AmdResult;
import dev.hotline.engine.fax.FaxDocument;
import dev.hotline.engine.fax.FaxResult;
import dev.hotline.engine.fax.FaxTimers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** One call leg as the server sees it (no SIP message, no SDP). All operations are asynchronous. */
public interface Channel {
    String id();

    Direction direction();

    ChannelState state();

    /** The calling party (From) of this leg. */
    CallParty caller();

    /** The called party (request URI / To) of this leg. */
    CallParty callee();

    /** The channel this one is bridged with, if any. */
    Optional<Channel> bridgedWith();

    /** Where an outbound leg was dialled (a trunk's host and port, a registered phone, a browser); empty for inbound. */
    default Optional<Target> target() {
        return Optional.empty();
    }

    /** Anchored media counters of this leg. */
    LegCounters counters();

    /**
     * The quality of this leg's media (loss, jitter, round trip; RFC 3550 RTCP): live while it is up, final
     * once it ended.
     */
    default MediaQuality mediaQuality() {
        return MediaQuality.NONE;
    }

    /** Inbound only: sends 180 Ringing. */
    void ring();

    /** Inbound only: answers locally (engine media, no bridge yet). */
    void answer();

    /** Inbound and unanswered: refuses with a SIP status (e.g. 403, 404, 480, 486, 603). */
    void reject(int sipStatus);

    /** Ends the leg: final response, CANCEL or BYE as its state requires. */
    void hangup(HangupCause cause);

    /** True when the peer holds the call (sendonly/inactive re-INVITE). */
    boolean onHold();

    // ---------------------------------------------------------------- media (MEDIA-2, MEDIA-4, REC-1, PBX-4)

    /**
     * Plays to this channel's party, replacing any playback in progress (and, while it plays, the
     * bridged peer's audio). Files are loaded here, on the calling thread, through the engine's cache;
     * an unreadable file fails with {@link java.io.UncheckedIOException}.
     */
    Playback play(PlaybackRequest request);

    /** Stops whatever plays. */
    void stopPlayback();

    /**
     * Collects keys: ends after {@code maxDigits}, on {@code terminator} ({@code 0} for none), when the
     * first key does not come within {@code firstDigitTimeout} or the next within
     * {@code interDigitTimeout}; result as {@link CallEvent.DigitsCollected}. Keys pressed since the
     * last collection (e.g. during a barge-in prompt) count first.
     */
    void collectDigits(int maxDigits, char terminator, Duration firstDigitTimeout, Duration interDigitTimeout);

    /**
     * Forgets the keys typed ahead since the last collection (a collection in progress ends, CANCELLED), so that the
     * next {@link #collectDigits} hears only keys pressed from now on (e.g. a voicemail after the tone, not the key
     * that led the caller there).
     */
    void clearDigits();

    /** Sends keys to the party: RFC 4733 events when negotiated, otherwise in-band tones. */
    void sendDtmf(String digits);

    /**
     * Records this channel into {@code file} (parent folders created). Left/first channel: what the
     * party says; right: what it hears (the bridged peer, prompts, the conference). A bridged call is
     * recorded from either leg. Fails with {@link java.io.UncheckedIOException} if the file cannot be
     * created.
     */
    Recording record(Path file, RecordFormat format, RecordMode mode);

    /**
     * Holds the party: it hears the WAV files of {@code musicFolder} (sorted by name, looped), from
     * where it left them at its last hold; its bridged peer no longer hears it.
     */
    void hold(Path musicFolder);

    void unhold();

    /** True between {@link #hold} and {@link #unhold}. */
    boolean musicOnHold();

    /** A muted party is heard by nobody (peer, conference, taps); it still hears. */
    void mute(boolean muted);

    boolean muted();

    /**
     * Answering-machine detection (OUT-1) on what this channel's party says, from now on: HUMAN, MACHINE or NOTSURE
     * with the cause and the raw measures; with {@link AmdParams#beepWaitMs()} a MACHINE result waits for the end of
     * the beep (or that time). Completes on the call's executor; HANGUP if the leg ends first. A new detection
     * replaces one in progress. Meant for an answered outbound leg that is not bridged yet.
     *
     * @throws UnsupportedOperationException for a channel without engine media
     */
    default CompletionStage<AmdResult> detectMachine(AmdParams params) {
        throw new UnsupportedOperationException("answering-machine detection needs a channel with engine media");
    }

    /**
     * Fax (MSG-5): this SIP leg becomes a T.38 fax terminal (ITU-T T.38, T.30) that sends {@code document}, or receives
     * one when it is null; {@code ident} is our TSI or CSI. Called on a leg not bridged: at once when it is up, or
     * before an outbound leg is answered (it starts on the answer). The leg moves to T.38 by the party's re-INVITE or
     * ours; completes with the session's result (a refused T.38 offer or the leg's end is a failure). The leg stays
     * up: the caller hangs up.
     */
    default CompletionStage<FaxResult> fax(FaxDocument document, String ident, FaxTimers timers) {
        return CompletableFuture.completedFuture(FaxResult.failure(0, null, "this channel cannot fax", null));
    }
}
