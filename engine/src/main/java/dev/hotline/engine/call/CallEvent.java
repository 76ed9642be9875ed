package dev.hotline.engine.call;

import java.net.InetSocketAddress;
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
     */
    record IncomingCall(Channel channel, CallParty caller, CallParty callee, String requestDomain,
                        InetSocketAddress source, boolean trusted, Optional<String> accountKey,
                        Instant at) implements CallEvent {
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

    /** @param sipStatus the final SIP status involved, 0 when the leg ended by BYE */
    record ChannelHungUp(String channelId, HangupCause cause, int sipStatus, Instant at) implements CallEvent {
    }

    record ChannelBridged(String channelId, String otherChannelId, Instant at) implements CallEvent {
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
}
