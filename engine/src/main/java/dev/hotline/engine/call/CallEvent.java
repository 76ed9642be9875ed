package dev.hotline.engine.call;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Everything the engine tells the server about calls. Delivered in order per call. */
public sealed interface CallEvent {
    String channelId();

    Instant at();

    /**
     * A new inbound call. The handler must decide: {@code channel().reject(..)},
     * {@code engine.dial(channel(), ..)} or {@code channel().answer()}.
     *
     * @param accountKey the authenticated account (digest-authenticated extension), empty for trusted peers
     * @param trusted    true when the policy accepted the source without digest authentication (trunk)
     * @param trunkRegistration SEC-4: the key of the trunk registration whose TCP or TLS connection the INVITE came on
     *                   (see {@link InboundPolicy.InviteSource}), empty otherwise
     */
    record IncomingCall(Channel channel, CallParty caller, CallParty callee, String requestDomain,
                        InetSocketAddress source, boolean trusted, Optional<String> accountKey,
                        Optional<String> trunkRegistration, Instant at) implements CallEvent {
        @Override
        public String channelId() {
            return channel.id();
        }
    }

    record ChannelRinging(String channelId, Instant at) implements CallEvent {
    }

    /** Early media (183 Session Progress with SDP). */
    record ChannelProgress(String channelId, Instant at) implements CallEvent {
    }

    record ChannelAnswered(String channelId, Instant at) implements CallEvent {
    }

    /**
     * @param sipStatus the final SIP status involved, 0 when the leg ended by BYE
     * @param media     the leg's final media figures (RTP received, RTCP reports), {@link MediaQuality#NONE} without media
     */
    record ChannelHungUp(String channelId, HangupCause cause, int sipStatus, MediaQuality media, Instant at) implements CallEvent {
        public ChannelHungUp {
            media = media == null ? MediaQuality.NONE : media;
        }

        public ChannelHungUp(String channelId, HangupCause cause, int sipStatus, Instant at) {
            this(channelId, cause, sipStatus, MediaQuality.NONE, at);
        }
    }

    record ChannelBridged(String channelId, String otherChannelId, Instant at) implements CallEvent {
    }

    /**
     * {@link TelephonyEngine#unbridge} split the bridge of {@code channelId} and {@code otherChannelId}:
     * both stay up, unlinked. Reported once, for the channel the split was asked for.
     */
    record ChannelUnbridged(String channelId, String otherChannelId, Instant at) implements CallEvent {
    }

    /**
     * The bridged peer {@code otherChannelId} of {@code channelId} hung up and {@code channelId} stayed up, unlinked,
     * as its bridge asked ({@link PeerHangup#STAY}); the server must end it.
     */
    record PeerLeft(String channelId, String otherChannelId, Instant at) implements CallEvent {
    }

    /** The remote party of {@code channelId} put the call on hold (true) or resumed it (false). */
    record ChannelHold(String channelId, boolean held, Instant at) implements CallEvent {
    }

    /**
     * The remote party of {@code channelId} asked to transfer its peer {@code peerChannelId} (REFER,
     * RFC 3515). Blind when {@code replacesChannelId} is empty; attended (Replaces, RFC 3891) otherwise.
     * The server answers through {@code transfer}.
     */
    record TransferRequested(String channelId, String peerChannelId, CallParty referTo,
                             Optional<String> replacesChannelId, Transfer transfer, Instant at) implements CallEvent {
    }

    /** The transfer asked for by {@code channelId} ended; {@code sipStatus} 200 on success. */
    record TransferCompleted(String channelId, int sipStatus, Instant at) implements CallEvent {
    }

    /** A DTMF key pressed by the party of {@code channelId}, reported once whatever carried it. */
    record DtmfReceived(String channelId, char digit, DtmfSource source, Instant at) implements CallEvent {
    }

    /** The end of {@link Channel#collectDigits}: the keys (without the terminator) and why it ended. */
    record DigitsCollected(String channelId, String digits, CollectEnd end, Instant at) implements CallEvent {
    }

    /** A playback ended: {@code completed} when it played to the end, false when stopped or interrupted. */
    record PlaybackFinished(String channelId, String playbackId, boolean completed, Instant at) implements CallEvent {
    }

    /**
     * A recording file is complete and closed. {@code channelId} is the recorded channel or the
     * conference id; {@code duration} the audio in the file.
     */
    record RecordingFinished(String channelId, String recordingId, Path path, Duration duration, Instant at)
            implements CallEvent {
    }

    record ConferenceJoined(String channelId, String conferenceId, Instant at) implements CallEvent {
    }

    record ConferenceLeft(String channelId, String conferenceId, Instant at) implements CallEvent {
    }

    /**
     * The WebRTC connection of {@code key} ({@link TelephonyEngine#webRtcConnect}) came up (ICE and
     * DTLS done, SRTP keys in place) or went down (DTLS failure, close, {@link TelephonyEngine#webRtcDisconnect},
     * or consent expired: no consent check nor media from the browser for 30 s, RFC 7675). Its calls end on
     * disconnect ({@link HangupCause#NORMAL_CLEARING}) and on consent expiry ({@link HangupCause#CONSENT_EXPIRED});
     * a reconnection under the same key before that takes them over.
     * Not about a channel: {@link #channelId()} is {@code "webrtc:" + key}.
     */
    record WebRtcConnectionChanged(String key, boolean up, Instant at) implements CallEvent {
        @Override
        public String channelId() {
            return "webrtc:" + key;
        }
    }
}
