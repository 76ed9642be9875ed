package dev.hotline.engine.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ChannelStateTest {
    @Test
    void legalMoves() {
        assertThat(ChannelState.NEW.checkMove(ChannelState.RINGING, "c")).isEqualTo(ChannelState.RINGING);
        assertThat(ChannelState.RINGING.canMoveTo(ChannelState.EARLY_MEDIA)).isTrue();
        assertThat(ChannelState.EARLY_MEDIA.canMoveTo(ChannelState.UP)).isTrue();
        assertThat(ChannelState.UP.canMoveTo(ChannelState.TERMINATED)).isTrue();
        assertThat(ChannelState.TERMINATED.isFinal()).isTrue();
    }

    @Test
    void illegalMovesAreRejectedLoudly() {
        assertThatThrownBy(() -> ChannelState.UP.checkMove(ChannelState.RINGING, "ch-1"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("ch-1").hasMessageContaining("UP -> RINGING");
        assertThatThrownBy(() -> ChannelState.TERMINATED.checkMove(ChannelState.UP, "ch-2"))
                .isInstanceOf(IllegalStateException.class);
        assertThat(ChannelState.TERMINATED.canMoveTo(ChannelState.TERMINATED)).isFalse();
    }

    @Test
    void hangupCausesMapSipStatuses() {
        assertThat(HangupCause.fromSipStatus(486)).isEqualTo(HangupCause.USER_BUSY);
        assertThat(HangupCause.fromSipStatus(603)).isEqualTo(HangupCause.CALL_REJECTED);
        assertThat(HangupCause.fromSipStatus(404)).isEqualTo(HangupCause.UNALLOCATED_NUMBER);
        assertThat(HangupCause.fromSipStatus(503)).isEqualTo(HangupCause.SERVICE_UNAVAILABLE);
        assertThat(HangupCause.fromSipStatus(599)).isEqualTo(HangupCause.NORMAL_TEMPORARY_FAILURE);
        assertThat(HangupCause.NORMAL_CLEARING.sipStatus()).isEqualTo(480);
        assertThat(HangupCause.USER_BUSY.sipStatus()).isEqualTo(486);
    }
}
