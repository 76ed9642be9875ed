package dev.hotline.engine.dtmf;

/**
 * Turns a stream of RFC 4733 telephone-event packets of one RTP session into key presses,
 * each reported exactly once.
 *
 * <p>All packets of one event carry the RTP timestamp of the event's start (RFC 4733
 * §2.5.1.2), so the timestamp identifies the event: updates, the three redundant end
 * packets (§2.5.1.4) and retransmissions of an event already seen are ignored, and so are
 * late packets of events older than the current one. A long event split into segments
 * (§2.5.1.3) is not reported again. The event is reported at its first packet (for the
 * lowest latency); {@link #lastDuration()} and {@link #lastEnded()} tell how it went on.
 *
 * <p>Not thread-safe; one instance per session, used on the session's media thread. No
 * allocation per packet.
 */
public final class TelephoneEventReceiver {
    /** Returned by {@link #onPacket} when the packet does not start a new event. */
    public static final int NONE = -1;

    private boolean seen;
    private int currentTs;
    private int currentEvent = NONE;
    private boolean ended;
    private int duration;
    private long reported;
    private long ignored;

    /**
     * Feeds one RTP packet's telephone-event payload.
     *
     * @param rtpTimestamp the RTP timestamp of the packet (32 bits)
     * @return the event code (0..255) when this packet starts a new event, else {@link #NONE}
     */
    public int onPacket(int rtpTimestamp, byte[] payload, int off, int len) {
        if (len < TelephoneEvent.SIZE) {
            ignored++;
            return NONE;
        }
        int event = TelephoneEvent.event(payload, off);
        boolean end = TelephoneEvent.isEnd(payload, off);
        int dur = TelephoneEvent.duration(payload, off);
        if (seen) {
            int delta = rtpTimestamp - currentTs; // serial-number arithmetic, wraps at 2^32
            if (delta == 0) {
                if (event == currentEvent) {
                    if (Integer.compareUnsigned(dur, duration) >= 0) {
                        duration = dur;
                    }
                    ended |= end;
                }
                ignored++;
                return NONE;
            }
            if (delta < 0) {
                ignored++; // a late packet of an older event
                return NONE;
            }
            // §2.5.1.3: the next segment of a long event starts where the previous segment ended.
            if (event == currentEvent && !ended && delta <= duration + 8000) {
                currentTs = rtpTimestamp;
                duration = dur;
                ended = end;
                ignored++;
                return NONE;
            }
        }
        seen = true;
        currentTs = rtpTimestamp;
        currentEvent = event;
        ended = end;
        duration = dur;
        reported++;
        return event;
    }

    /** The event code last reported, or {@link #NONE}. */
    public int lastEvent() {
        return currentEvent;
    }

    /** The highest duration (timestamp units) seen for the last event. */
    public int lastDuration() {
        return duration;
    }

    /** Whether an end packet has been seen for the last event. */
    public boolean lastEnded() {
        return ended;
    }

    /** Events reported so far. */
    public long reported() {
        return reported;
    }

    /** Packets that did not start an event (updates, redundant ends, retransmissions, late or short). */
    public long ignored() {
        return ignored;
    }
}
