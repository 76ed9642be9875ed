package dev.hotline.engine.call;

import dev.hotline.engine.rtp.LegCounters;
import java.util.Optional;

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

    /** Anchored media counters of this leg. */
    LegCounters counters();

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
}
