package dev.hotline.acd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** AGENT-1 / ACD-8: the agent state machine accepts the moves of a working day and refuses the rest loudly. */
class AgentStateTest {
    final Instant t = Instant.parse("2026-11-25T08:00:00Z");

    @Test
    void aWorkingDay() {
        Agent a = new Agent(1, 7);
        a.moveTo(AgentState.NOT_READY, "login", t);
        a.moveTo(AgentState.READY, null, t.plusSeconds(5));
        assertThat(a.free()).isTrue();
        assertThat(a.idleSince).isEqualTo(t.plusSeconds(5));
        a.moveTo(AgentState.RINGING, null, t.plusSeconds(9));
        assertThat(a.free()).isFalse();
        a.moveTo(AgentState.ON_CALL, null, t.plusSeconds(10));
        a.moveTo(AgentState.WRAP_UP, null, t.plusSeconds(70));
        a.moveTo(AgentState.READY, null, t.plusSeconds(80));
        assertThat(a.idleSince).isEqualTo(t.plusSeconds(80));
        a.moveTo(AgentState.NOT_READY, "break", t.plusSeconds(90));
        assertThat(a.reason).isEqualTo("break");
        a.moveTo(AgentState.LOGGED_OUT, null, t.plusSeconds(100));
        assertThat(a.device).isNull();
    }

    @Test
    void illegalMovesAreRefusedAndChangeNothing() {
        Agent a = new Agent(1, 7);
        assertThatThrownBy(() -> a.moveTo(AgentState.RINGING, null, t)).isInstanceOf(AgentState.IllegalMove.class)
                .hasMessageContaining("logged_out to ringing");
        assertThat(a.state).isEqualTo(AgentState.LOGGED_OUT);
        a.moveTo(AgentState.NOT_READY, "login", t);
        assertThatThrownBy(() -> a.moveTo(AgentState.RINGING, null, t)).isInstanceOf(AgentState.IllegalMove.class);
        assertThatThrownBy(() -> a.moveTo(AgentState.WRAP_UP, null, t)).isInstanceOf(AgentState.IllegalMove.class);
        a.moveTo(AgentState.READY, null, t);
        assertThatThrownBy(() -> a.moveTo(AgentState.WRAP_UP, null, t)).isInstanceOf(AgentState.IllegalMove.class);
        assertThat(a.state).isEqualTo(AgentState.READY);
    }

    @Test
    void onlyReadyNotReadyAndLoggedOutCanBeAskedFor() {
        assertThat(AgentState.READY.requestable()).isTrue();
        assertThat(AgentState.NOT_READY.requestable()).isTrue();
        assertThat(AgentState.LOGGED_OUT.requestable()).isTrue();
        assertThat(AgentState.ON_CALL.requestable()).isFalse();
        assertThat(AgentState.RINGING.requestable()).isFalse();
        assertThat(AgentState.WRAP_UP.requestable()).isFalse();
        assertThat(AgentState.parse("not_ready")).contains(AgentState.NOT_READY);
    }
}
