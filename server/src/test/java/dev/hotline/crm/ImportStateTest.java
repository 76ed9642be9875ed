package dev.hotline.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotline.crm.CustomerImports.State;
import org.junit.jupiter.api.Test;

class ImportStateTest {
    @Test
    void aJobGoesQueuedRunningThenDoneOrFailedAndNowhereElse() {
        assertThat(State.QUEUED.to(State.RUNNING)).isEqualTo(State.RUNNING);
        assertThat(State.RUNNING.to(State.DONE)).isEqualTo(State.DONE);
        assertThat(State.RUNNING.to(State.FAILED)).isEqualTo(State.FAILED);
        assertThat(State.QUEUED.to(State.FAILED)).isEqualTo(State.FAILED);
        assertThatThrownBy(() -> State.QUEUED.to(State.DONE)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> State.DONE.to(State.RUNNING)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> State.FAILED.to(State.DONE)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> State.RUNNING.to(State.QUEUED)).isInstanceOf(IllegalStateException.class);
    }
}
