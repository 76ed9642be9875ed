package dev.hotline.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.acd.AgentState;
import dev.hotline.acd.AgentView;
import dev.hotline.monitor.Monitor.Alert;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SUP-3 alert rules, each at its boundaries: waiting calls, longest wait, service level, an agent too long in one state. */
class MonitorAlertsTest {
    static final WallboardSettings.Thresholds T = new WallboardSettings.Thresholds(2, 4, 30, 90, 0.8, 0.5, 10);

    static List<String> levels(List<Alert> alerts, String kind) {
        return alerts.stream().filter(a -> a.kind().equals(kind)).map(Alert::level).toList();
    }

    @Test
    void waitingCallsAreAmberFromTheFirstThresholdAndRedFromTheSecond() {
        assertThat(levels(Monitor.queueAlerts("sales", 1, 0, null, T), "waiting")).isEmpty();
        assertThat(levels(Monitor.queueAlerts("sales", 2, 0, null, T), "waiting")).containsExactly("amber");
        assertThat(levels(Monitor.queueAlerts("sales", 3, 0, null, T), "waiting")).containsExactly("amber");
        List<Alert> red = Monitor.queueAlerts("sales", 4, 0, null, T);
        assertThat(levels(red, "waiting")).containsExactly("red");
        assertThat(red.get(0).subject()).isEqualTo("sales");
        assertThat(red.get(0).value()).isEqualTo(4);
        assertThat(red.get(0).threshold()).isEqualTo(4);
    }

    @Test
    void theLongestWaitIsAmberFromItsFirstThresholdAndRedFromItsSecond() {
        assertThat(levels(Monitor.queueAlerts("q", 0, 29, null, T), "longest_wait")).isEmpty();
        assertThat(levels(Monitor.queueAlerts("q", 0, 30, null, T), "longest_wait")).containsExactly("amber");
        assertThat(levels(Monitor.queueAlerts("q", 0, 89, null, T), "longest_wait")).containsExactly("amber");
        assertThat(levels(Monitor.queueAlerts("q", 0, 90, null, T), "longest_wait")).containsExactly("red");
    }

    @Test
    void theServiceLevelIsAmberBelowItsFirstThresholdAndRedBelowItsSecondAndNothingBeforeAnyCall() {
        assertThat(levels(Monitor.queueAlerts("q", 0, 0, null, T), "service_level")).as("no call yet today").isEmpty();
        assertThat(levels(Monitor.queueAlerts("q", 0, 0, 0.8, T), "service_level")).isEmpty();
        assertThat(levels(Monitor.queueAlerts("q", 0, 0, 0.79, T), "service_level")).containsExactly("amber");
        assertThat(levels(Monitor.queueAlerts("q", 0, 0, 0.5, T), "service_level")).containsExactly("amber");
        assertThat(levels(Monitor.queueAlerts("q", 0, 0, 0.49, T), "service_level")).containsExactly("red");
        // The rules add up: a queue may be red on one figure and amber on another.
        assertThat(Monitor.queueAlerts("q", 4, 30, 0.6, T)).extracting(Alert::kind, Alert::level)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("waiting", "red"), org.assertj.core.groups.Tuple.tuple("longest_wait", "amber"),
                        org.assertj.core.groups.Tuple.tuple("service_level", "amber"));
    }

    static AgentView agent(long id, AgentState state, Instant since) {
        return new AgentView(id, "Agent " + id, "00" + id, null, state, null, since, "sip", "100" + id, null, 0, 0, 0, Map.of(), Map.of(), true, null);
    }

    @Test
    void anAgentNotReadyInWrapUpOrOnOneCallForTheThresholdsMinutesRaisesAnAlertButReadyDoesNot() {
        Instant now = Instant.parse("2026-12-06T10:00:00Z");
        Instant long_ = now.minus(Duration.ofMinutes(10));
        Instant short_ = now.minus(Duration.ofMinutes(9).plusSeconds(59));
        WallboardSettings rules = new WallboardSettings(T, Map.of());
        List<Alert> alerts = Monitor.agentAlerts(List.of(agent(1, AgentState.NOT_READY, long_), agent(2, AgentState.WRAP_UP, long_),
                agent(3, AgentState.ON_CALL, long_), agent(4, AgentState.READY, long_), agent(5, AgentState.NOT_READY, short_),
                agent(6, AgentState.LOGGED_OUT, long_)), rules, now);
        assertThat(alerts).extracting(Alert::subject).containsExactly("Agent 1", "Agent 2", "Agent 3");
        assertThat(alerts).extracting(Alert::detail).containsExactly("not_ready", "wrap_up", "on_call");
        assertThat(alerts).allSatisfy(a -> {
            assertThat(a.kind()).isEqualTo("agent_state");
            assertThat(a.value()).isEqualTo(10);
            assertThat(a.threshold()).isEqualTo(10);
        });
    }
}
