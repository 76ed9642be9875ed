package dev.hotline.engine.call;

import java.util.Collection;
import java.util.Optional;

/**
 * The engine as the server sees it: start it with {@code dev.hotline.engine.Engines.start} (a config and
 * the three server-provided hooks), then react to {@link CallEvent}s and drive {@link Channel}s.
 */
public interface TelephonyEngine extends AutoCloseable {

    /**
     * Places an outbound leg for {@code inbound} and bridges them when it answers (B2BUA): 180/183 are
     * relayed, the inbound leg is answered on the outbound answer, hang-ups propagate both ways.
     * Returns the new outbound channel at once; its outcome comes as events.
     */
    Channel dial(Channel inbound, DialRequest request);

    /**
     * Places a call of its own (no inbound leg): the channel is answered by the far end, then the
     * server drives it like any answered channel (play, collect digits, record, dial a second leg).
     * Its events come to the {@link CallHandler} like every other channel's.
     */
    default Channel originate(DialRequest request) {
        return originate(request, c -> { });
    }

    /**
     * As {@link #originate(DialRequest)}, calling {@code beforeStart} with the new channel before the
     * call is placed, so the server can file the channel before any of its events can arrive.
     */
    Channel originate(DialRequest request, java.util.function.Consumer<Channel> beforeStart);

    /**
     * Bridges two existing answered channels of this engine that have no bridged peer (typically a
     * queued caller hearing music and an agent leg from {@link #originate}). Playback, music on hold
     * and digit collection stop on both; then packets are relayed between them (G.711 laws
     * transcoded) and {@link CallEvent.ChannelBridged} comes for {@code a} with {@code b} as the other.
     * From then on they behave like a dialled call: a hang-up of either ends the other, hold, REFER,
     * recording and taps work. Asynchronous and safe from any thread: when either leg ends before
     * the bridge is made, nothing is linked and no event comes (the other leg stays up as it was).
     *
     * @throws IllegalArgumentException when a channel is not of this engine, or both are the same
     * @throws IllegalStateException    when a channel is not answered, has ended, is bridged with
     *                                  (or dialling) another channel, or is being bridged already
     */
    default void bridge(Channel a, Channel b) {
        bridge(a, b, PeerHangup.FOLLOW);
    }

    /**
     * As {@link #bridge(Channel, Channel)}, with what {@code a} does when {@code b} hangs up: with
     * {@link PeerHangup#STAY} {@code a} stays up, unlinked and free (ready to play, collect digits or be bridged
     * again), and {@link CallEvent.PeerLeft} comes for it; the server must end it. It applies to this bridge only: a
     * later peer of {@code a} (a transfer, another bridge) is followed as usual. A hang-up of {@code a} always ends
     * {@code b}.
     */
    void bridge(Channel a, Channel b, PeerHangup aOnHangupOfB);

    /**
     * From now on {@code a} outlives the hang-up of {@code peer} as with {@link PeerHangup#STAY}, provided {@code peer} is
     * still its bridged peer (whatever made the pair: a {@link #bridge}, a dial, a transfer); otherwise nothing happens.
     * For a pair made without asking (e.g. a caller transferred on to a colleague, then surveyed after them). Asynchronous:
     * a {@code peer} ending before it takes effect is followed as usual.
     *
     * @throws IllegalArgumentException when a channel is not of this engine
     */
    void stayAfter(Channel a, Channel peer);

    /**
     * Splits the bridge {@code channel} is in: both channels stay up, unlinked, each ready to play,
     * hold or be bridged again; {@link CallEvent.ChannelUnbridged} follows, and a tap on the call
     * ends. Asynchronous; does nothing when the channel is not bridged (or its peer ends meanwhile),
     * including a {@link #bridge} not yet reported by {@link CallEvent.ChannelBridged}.
     *
     * @throws IllegalArgumentException when the channel is not of this engine
     */
    void unbridge(Channel channel);

    Optional<Channel> channel(String id);

    /**
     * Opens (or re-opens) the persistent WebRTC connection of one agent's browser and returns it with
     * its SDP answer (ICE-lite, DTLS-SRTP passive, rtcp-mux, BUNDLE, G.711 + telephone-event). Call
     * channels are made on it with {@link Target.WebRtc}{@code (key)}, without any new handshake.
     *
     * <p>With a connection already open under {@code key} (page reload, reconnection) the new one
     * replaces it: the old one is closed and its call channels move to the new one, their media
     * flowing there once it is secured; no call ends.
     *
     * @param key      identifies the agent (e.g. the user id); one connection per key
     * @param offerSdp the browser's offer (an audio m-line with PCMU or PCMA, ICE credentials, a
     *                 sha-256 fingerprint, {@code a=setup:actpass} or {@code active}, rtcp-mux)
     * @throws IllegalArgumentException when the offer is unusable (the message says why)
     * @throws IllegalStateException    when no media port is free
     */
    default WebRtcConnection webRtcConnect(String key, String offerSdp) {
        return webRtcConnect(key, offerSdp, true);
    }

    /**
     * {@link #webRtcConnect(String, String)} with the choice of Opus (MEDIA-6): {@code opus} false answers G.711 even
     * when the browser offers Opus (no Opus encoding and decoding for this connection's calls). The codec holds for
     * the connection's life: a browser that offers again (a reload, a reconnection) gets the choice in force then.
     */
    WebRtcConnection webRtcConnect(String key, String offerSdp, boolean opus);

    /**
     * Closes the WebRTC connection of {@code key} (agent logout): its call channels end with
     * {@link HangupCause#NORMAL_CLEARING}. Does nothing when there is none.
     */
    void webRtcDisconnect(String key);

    /** The WebRTC connection open under {@code key}, if any. */
    Optional<WebRtcConnection> webRtcConnection(String key);

    /** A new, empty conference room. */
    Conference createConference(String name);

    /**
     * Puts {@code supervisor} (an answered, unbridged channel) on the bridged call of
     * {@code agentChannel}: the call is then mixed by the media clock instead of relayed.
     */
    Tap tap(Channel agentChannel, Channel supervisor, TapMode mode);

    Collection<Channel> channels();

    LocationService locations();

    /** Outbound registrations to carriers for registering trunks. */
    TrunkRegistrations trunkRegistrations();

    /** PBX-8: busy lamps (SUBSCRIBE/NOTIFY, dialog event package) for resources the server describes. */
    Presence presence();

    /** Sets the policy that admits outbound legs to URIs (trunk channel limits); admits all until set. */
    void outboundPolicy(OutboundPolicy policy);

    /** The SIP port actually listened on. */
    int sipPort();

    /** SEC-1: the bans of scanners and password guessers in force. */
    SipBans sipBans();

    /** Overload control: new calls refused with 503 while the server cannot carry more. */
    OverloadControl overload();

    /** SIP messages counted since the engine started (OPS-4 metrics). */
    SipStats sipStats();

    /** RTP of the legs that ended since the engine started: packets, loss, jitter (OPS-4 metrics). */
    MediaStats mediaStats();

    /** Legs (channels) alive now. */
    default int liveChannels() {
        return channels().size();
    }

    @Override
    void close();
}
