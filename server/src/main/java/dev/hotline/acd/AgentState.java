package dev.hotline.acd;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * An agent's state (AGENT-1, ACD-8). Every change goes through {@link Agent#moveTo}, which asks
 * {@link #canMoveTo}: an illegal move is refused loudly, never applied.
 */
public enum AgentState {
    /** Not signed in: never offered calls. */
    LOGGED_OUT {
        @Override
        Set<AgentState> next() {
            return EnumSet.of(NOT_READY, READY);
        }
    },
    /** Signed in, busy with a reason (break, meeting, ...). */
    NOT_READY {
        @Override
        Set<AgentState> next() {
            return EnumSet.of(READY, NOT_READY, LOGGED_OUT);
        }
    },
    /** Signed in and idle: the only state in which queue calls are offered. */
    READY {
        @Override
        Set<AgentState> next() {
            return EnumSet.of(RINGING, NOT_READY, LOGGED_OUT, ON_CALL);
        }
    },
    /** A queue call is being offered to the agent's device. */
    RINGING {
        @Override
        Set<AgentState> next() {
            return EnumSet.of(ON_CALL, READY, NOT_READY, LOGGED_OUT);
        }
    },
    /** Talking (a queue call, or any call on the agent's device). */
    ON_CALL {
        @Override
        Set<AgentState> next() {
            return EnumSet.of(WRAP_UP, READY, NOT_READY, LOGGED_OUT);
        }
    },
    /** After-call work: no offers until it ends (by timer or by the agent). */
    WRAP_UP {
        @Override
        Set<AgentState> next() {
            return EnumSet.of(READY, NOT_READY, LOGGED_OUT, ON_CALL);
        }
    };

    abstract Set<AgentState> next();

    public boolean canMoveTo(AgentState to) {
        return next().contains(to);
    }

    /** Signed in (any state but logged out). */
    public boolean signedIn() {
        return this != LOGGED_OUT;
    }

    /** States an agent (or a supervisor for them) may ask for; the others follow the calls. */
    public boolean requestable() {
        return this == READY || this == NOT_READY || this == LOGGED_OUT;
    }

    @JsonValue
    public String key() {
        return name().toLowerCase();
    }

    public static Optional<AgentState> parse(String s) {
        for (AgentState v : values()) if (v.key().equals(s)) return Optional.of(v);
        return Optional.empty();
    }

    /** Thrown for a move {@link #canMoveTo} refuses. */
    public static final class IllegalMove extends IllegalStateException {
        public IllegalMove(AgentState from, AgentState to) {
            super("agent state cannot move from " + from.key() + " to " + to.key());
        }
    }
}
