package dev.hotline.engine.call;

import java.util.EnumSet;
import java.util.Set;

/** Life cycle of one call leg. Every move goes through {@link #checkMove}, which rejects illegal ones. */
public enum ChannelState {
    /** Created: INVITE received (inbound) or being sent (outbound). */
    NEW {
        @Override
        Set<ChannelState> next() {
            return EnumSet.of(RINGING, EARLY_MEDIA, UP, TERMINATED);
        }
    },
    /** 180 sent or received. */
    RINGING {
        @Override
        Set<ChannelState> next() {
            return EnumSet.of(EARLY_MEDIA, UP, TERMINATED);
        }
    },
    /** 183 with SDP sent or received. */
    EARLY_MEDIA {
        @Override
        Set<ChannelState> next() {
            return EnumSet.of(RINGING, UP, TERMINATED);
        }
    },
    /** Answered (200 OK). */
    UP {
        @Override
        Set<ChannelState> next() {
            return EnumSet.of(TERMINATED);
        }
    },
    /** Ended; final. */
    TERMINATED {
        @Override
        Set<ChannelState> next() {
            return EnumSet.noneOf(ChannelState.class);
        }
    };

    abstract Set<ChannelState> next();

    public boolean isFinal() {
        return this == TERMINATED;
    }

    public boolean isAnswered() {
        return this == UP;
    }

    public boolean canMoveTo(ChannelState target) {
        return next().contains(target);
    }

    /** Returns {@code target} if the move is legal, otherwise throws. */
    public ChannelState checkMove(ChannelState target, String channelId) {
        if (!canMoveTo(target)) {
            throw new IllegalStateException("channel " + channelId + ": illegal state change " + this + " -> " + target);
        }
        return target;
    }
}
