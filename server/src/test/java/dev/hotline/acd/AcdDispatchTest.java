package dev.hotline.acd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotline.domain.DomainException;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.ivr.Ivr;
import dev.hotline.report.AgentLogEvent;
import dev.hotline.report.CallLogEvent;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The ACD alone (ACD-1..5, ACD-8): a fake host instead of the call router and the engine, a manual
 * thread and clock instead of real time, no database. Ring timeouts, wrap-up, max wait and the
 * self-check happen when the test moves the clock.
 */
class AcdDispatchTest {
    static final long E = 1;
    static final long SALES = 10;

    final ManualAcdThread thread = new ManualAcdThread();
    final FakeAcdHost host = new FakeAcdHost(thread.clock);
    final List<AgentLogEvent> agentLog = new ArrayList<>();
    /** Who served a caller last (ACD-4), as the call records would say. */
    final Map<String, Long> lastAgent = new HashMap<>();
    Acd acd;

    /** Starts the ACD with queue "sales" (members 1, 2, 3 in that order) on {@code settings} and {@code strategy}. */
    void start(Queue.Strategy strategy, QueueSettings settings) {
        start(strategy, settings, null);
    }

    void start(Queue.Strategy strategy, QueueSettings settings, Ivr ivr) {
        Queue sales = new Queue(SALES, "sales", strategy, null, settings);
        Map<Long, AcdConfig.UserInfo> users = new HashMap<>();
        Map<Long, Integer> penalties = new HashMap<>();
        for (long u = 1; u <= 3; u++) {
            users.put(u, new AcdConfig.UserInfo(u, "agent " + u, "00" + u, "100" + u));
            penalties.put(u, 0);
        }
        AcdConfig config = new AcdConfig(Map.of(E, new AcdConfig.Tenant(Map.of(SALES, sales), Map.of(SALES, List.of(1L, 2L, 3L)),
                Map.of(SALES, penalties), Map.of(), users)));
        AcdData data = new AcdData() {
            @Override
            public AcdConfig config() {
                return config;
            }

            @Override
            public List<AgentStore.LastState> lastStates() {
                return List.of();
            }

            @Override
            public Optional<Long> lastAgent(long enterpriseId, String caller, Instant since) {
                return Optional.ofNullable(lastAgent.get(caller));
            }
        };
        acd = new Acd(data, agentLog::add, thread.clock, ivr, new Random(7), thread);
        host.acd = acd;
        acd.start(host);
    }

    static QueueSettings settings(int ringTimeout, int maxWait, int wrapUp, int autoPause, List<String> vips, int sticky) {
        return new QueueSettings(ringTimeout, maxWait, 0, new QueueSettings.Destination("queue", "support"), null, wrapUp, autoPause, 0,
                null, 0, null, null, false, false, List.of(), 0, vips, sticky);
    }

    void ready(long... users) {
        for (long u : users) {
            acd.login(E, u, new Device(Device.Kind.SIP, null), "agent");
            acd.setState(E, u, AgentState.READY, null, "agent");
        }
    }

    String call(String id, String number, int priority) {
        acd.enqueue(E, id, host.caller(id), number, "sales", priority, false);
        thread.drain();
        return id;
    }

    AgentView agent(long u) {
        return acd.agentView(E, u).orElseThrow();
    }

    QueueLive live() {
        return acd.live(E).get(0);
    }

    @Test
    void anAgentCannotBeReadyOnAPhoneThatCannotRingAndTheViewSaysWhy() {
        start(Queue.Strategy.LINEAR, settings(15, 0, 0, 0, List.of(), 0));
        Device phone = new Device(Device.Kind.SIP, "1001");
        host.unreachable.add(phone);
        acd.login(E, 1, phone, "agent");
        assertThat(agent(1).deviceReachable()).isFalse();
        assertThatThrownBy(() -> acd.setState(E, 1, AgentState.READY, null, "agent"))
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.code()).isEqualTo("device_unreachable"))
                .hasMessageContaining("1001 is not registered");
        assertThat(agent(1).state()).isEqualTo(AgentState.NOT_READY);
        call("c1", "138", 0);
        assertThat(host.offers).as("nobody to offer to").isEmpty();
        // Registered now: ready, and offered the waiting call.
        host.unreachable.clear();
        acd.setState(E, 1, AgentState.READY, null, "agent");
        thread.drain();
        assertThat(agent(1).deviceReachable()).isTrue();
        assertThat(host.offers).extracting(FakeAcdHost.Offer::agentUserId).containsExactly(1L);
    }

    @Test
    void ringNoAnswerMovesOnToTheNextAgentAndPausesAfterTheMissesInARow() {
        start(Queue.Strategy.LINEAR, settings(15, 0, 0, 2, List.of(), 0));
        ready(1, 2);
        call("c1", "13800000001", 0);
        FakeAcdHost.Offer first = host.lastOfferTo(1);
        assertThat(first.timeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(agent(1).state()).isEqualTo(AgentState.RINGING);

        thread.advanceSeconds(15);
        host.hangUp(first.legId(), HangupCause.NO_ANSWER); // the ring timeout the ACD gave the leg
        thread.drain();
        assertThat(agent(1).state()).isEqualTo(AgentState.READY);
        assertThat(agent(1).missedInRow()).isEqualTo(1);
        FakeAcdHost.Offer second = host.lastOfferTo(2);
        assertThat(second.callId()).isEqualTo("c1");

        host.hangUp(second.legId(), HangupCause.NO_ANSWER);
        thread.drain();
        FakeAcdHost.Offer third = host.lastOfferTo(1);
        assertThat(third.legId()).isNotEqualTo(first.legId());
        host.hangUp(third.legId(), HangupCause.NO_ANSWER);
        thread.drain();
        assertThat(agent(1).state()).isEqualTo(AgentState.NOT_READY);
        assertThat(agent(1).reason()).isEqualTo(AgentBoard.MISSED_REASON);
        assertThat(agentLog).anyMatch(e -> e.userId() == 1 && e.state().equals("not_ready") && "system".equals(e.cause()));
        assertThat(host.lastOfferTo(2).legId()).isNotEqualTo(second.legId()); // agent 2 is rung again
    }

    @Test
    void aCallerWhoHangsUpAfterTheAgentAnsweredButBeforeTheBridgeIsMadeDoesNotLeaveTheAgentOnACallWithNobody() throws Exception {
        // The caller hears the agent's job number before the two are bridged (ACD-7).
        QueueSettings s = settings(15, 0, 0, 0, List.of(), 0);
        s = new QueueSettings(s.ringTimeoutSeconds(), s.maxWaitSeconds(), s.maxCallers(), s.overflow(), s.noAgents(), s.wrapUpSeconds(),
                s.autoPauseAfterMissed(), s.announcePositionSeconds(), s.periodicText(), s.periodicSeconds(), s.voicemailKey(), s.callbackKey(),
                true, s.record(), s.skills(), s.widenSkillsAfterSeconds(), s.vipNumbers(), s.stickySeconds(), s.serviceLevelSeconds(),
                s.shortAbandonSeconds(), s.survey(), s.priorityAgingSeconds());
        start(Queue.Strategy.LINEAR, s, new Ivr(Files.createTempDirectory("acd-ivr")));
        ready(1);
        call("c1", "13800000001", 0);
        String leg = host.lastOfferTo(1).legId();
        host.answer(leg);
        thread.drain();
        assertThat(agent(1).state()).isEqualTo(AgentState.ON_CALL);
        assertThat(host.bridged).as("not bridged while the job number plays").isEmpty();
        // The caller hangs up during the announcement.
        host.hangUp("c1", HangupCause.NORMAL_CLEARING);
        thread.drain();
        assertThat(host.channels).as("the agent's leg ended").doesNotContainKey(leg);
        assertThat(agent(1).state()).isEqualTo(AgentState.READY);
    }

    @Test
    void wrapUpKeepsTheAgentFromOffersUntilItEnds() {
        start(Queue.Strategy.LINEAR, settings(15, 0, 30, 0, List.of(), 0));
        ready(1);
        call("c1", "13800000001", 0);
        String leg = host.lastOfferTo(1).legId();
        host.answer(leg);
        thread.drain();
        assertThat(host.bridged).containsExactly("c1+" + leg);
        assertThat(agent(1).state()).isEqualTo(AgentState.ON_CALL);
        assertThat(host.logged).anyMatch(e -> e instanceof CallLogEvent.QueueConnected);

        call("c2", "13800000002", 0);
        host.hangUp(leg, HangupCause.NORMAL_CLEARING);
        thread.drain();
        assertThat(agent(1).state()).isEqualTo(AgentState.WRAP_UP);
        thread.advanceSeconds(29);
        assertThat(host.offers).hasSize(1);
        assertThat(acd.waiting(E)).extracting(Acd.WaitingView::callId).containsExactly("c2");

        thread.advanceSeconds(1);
        assertThat(host.offers).hasSize(2);
        assertThat(host.lastOfferTo(1).callId()).isEqualTo("c2");
        assertThat(agentLog).anyMatch(e -> e.previous().equals("wrap_up") && e.state().equals("ready") && "system".equals(e.cause()));
    }

    @Test
    void higherPriorityAndVipCallersAreServedFirst() {
        start(Queue.Strategy.LINEAR, settings(15, 0, 0, 0, List.of("139*"), 0));
        acd.login(E, 1, new Device(Device.Kind.SIP, null), "agent");
        call("plain", "13800000001", 0);
        call("flow", "13800000002", 5);
        call("vip", "13900000003", 0);
        call("late", "13800000004", 0);
        assertThat(acd.waiting(E)).extracting(Acd.WaitingView::callId).containsExactly("vip", "flow", "plain", "late");
        assertThat(acd.waiting(E)).extracting(Acd.WaitingView::priority).containsExactly(10, 5, 0, 0);

        acd.setState(E, 1, AgentState.READY, null, "agent");
        assertThat(host.lastOfferTo(1).callId()).isEqualTo("vip");
    }

    /** ACD-3: with aging (a point worth 10 s here) a long waiter goes before a later caller of a slightly higher priority. */
    @Test
    void withTheQueuesAgingALongWaiterGoesBeforeALaterCallerOfASlightlyHigherPriority() {
        QueueSettings s = settings(15, 0, 0, 0, List.of(), 0);
        s = new QueueSettings(s.ringTimeoutSeconds(), s.maxWaitSeconds(), s.maxCallers(), s.overflow(), s.noAgents(), s.wrapUpSeconds(),
                s.autoPauseAfterMissed(), s.announcePositionSeconds(), s.periodicText(), s.periodicSeconds(), s.voicemailKey(), s.callbackKey(),
                s.agentAnnounce(), s.record(), s.skills(), s.widenSkillsAfterSeconds(), s.vipNumbers(), s.stickySeconds(), s.serviceLevelSeconds(),
                s.shortAbandonSeconds(), s.survey(), 10);
        start(Queue.Strategy.LINEAR, s);
        acd.login(E, 1, new Device(Device.Kind.SIP, null), "agent");
        call("early", "13800000001", 0);
        thread.advanceSeconds(25);
        // Three points are worth 30 s: the early caller has waited only 25 s longer, the later one goes first.
        call("urgent", "13800000002", 3);
        assertThat(acd.waiting(E)).extracting(Acd.WaitingView::callId).containsExactly("urgent", "early");
        thread.advanceSeconds(20);
        // 45 s after the early caller: they go before this one, and stay before whatever the wait.
        call("later", "13800000003", 3);
        assertThat(acd.waiting(E)).extracting(Acd.WaitingView::callId).containsExactly("urgent", "early", "later");
        assertThat(acd.waiting(E)).extracting(Acd.WaitingView::priority).containsExactly(3, 0, 3);
        thread.advanceSeconds(600);
        assertThat(acd.waiting(E)).extracting(Acd.WaitingView::callId).containsExactly("urgent", "early", "later");
        acd.setState(E, 1, AgentState.READY, null, "agent");
        thread.drain();
        assertThat(host.lastOfferTo(1).callId()).isEqualTo("urgent");
    }

    @Test
    void aReturningCallerWaitsForTheAgentWhoServedThemLast() {
        start(Queue.Strategy.LINEAR, settings(15, 0, 0, 0, List.of(), 20));
        ready(1, 2);
        lastAgent.put("13800000001", 2L);
        call("c1", "13800000001", 0);
        assertThat(host.lastOfferTo(2).callId()).isEqualTo("c1");
        assertThat(host.offers).hasSize(1); // not agent 1, the first of a linear queue

        host.answer(host.lastOfferTo(2).legId());
        thread.drain();
        assertThat(agent(2).state()).isEqualTo(AgentState.ON_CALL);

        // The agent from last time is busy: the caller waits for them the sticky seconds, then anyone may take the call.
        lastAgent.put("13800000005", 2L);
        int before = host.offers.size();
        call("c2", "13800000005", 0);
        thread.advanceSeconds(19);
        assertThat(host.offers.subList(before, host.offers.size())).noneMatch(o -> o.callId().equals("c2"));
        thread.advanceSeconds(1);
        assertThat(host.lastOfferTo(1).callId()).isEqualTo("c2");
    }

    @Test
    void aCallerWhoWaitedTooLongOverflows() {
        start(Queue.Strategy.LINEAR, settings(15, 60, 0, 0, List.of(), 0));
        acd.login(E, 1, new Device(Device.Kind.SIP, null), "agent"); // signed in, not ready: the caller waits
        call("c1", "13800000001", 0);
        thread.advanceSeconds(59);
        assertThat(acd.waiting(E)).hasSize(1);
        thread.advanceSeconds(1);
        assertThat(acd.waiting(E)).isEmpty();
        assertThat(host.left).containsExactly(new FakeAcdHost.Left("c1", new QueueSettings.Destination("queue", "support"), "sales"));
        assertThat(host.logged).anyMatch(e -> e instanceof CallLogEvent.QueueLeft l && l.result().equals("overflow")
                && l.reason().equals("max_wait") && l.waitMs() == 60_000);
        assertThat(live().overflowed()).isEqualTo(1);
    }

    @Test
    void theSelfCheckCorrectsAnAgentWhoseCallIsGoneButNotOneJustOffered() {
        start(Queue.Strategy.LINEAR, settings(15, 0, 0, 0, List.of(), 0));
        ready(1);
        thread.advanceSeconds(1.5);
        call("c1", "13800000001", 0);
        String leg = host.lastOfferTo(1).legId();
        host.forget(leg); // gone without a hang-up event
        thread.advanceSeconds(0.5); // the check at 2 s: the offer is half a second old, its events may be in flight
        assertThat(agent(1).state()).isEqualTo(AgentState.RINGING);
        thread.advanceSeconds(2); // the check at 4 s
        assertThat(agentLog).anyMatch(e -> e.userId() == 1 && e.previous().equals("ringing") && e.state().equals("ready")
                && "correction".equals(e.cause()));
        // Ready again, the agent is offered the caller who is still waiting.
        assertThat(host.lastOfferTo(1).legId()).isNotEqualTo(leg);
    }

    @Test
    void aMissedOfferWhoseHangUpIsStillOnItsWayWhenTheSelfCheckRunsStillPausesTheAgent() {
        // The race a loaded server ran into: the engine forgets the leg whose ring timed out, the self-check runs
        // before the leg's hang-up event, and the agent, ringing for longer than the grace, was corrected to ready.
        start(Queue.Strategy.LINEAR, settings(5, 0, 0, 1, List.of(), 0));
        ready(1);
        call("c1", "13800000001", 0);
        String leg = host.lastOfferTo(1).legId();
        thread.advanceSeconds(5.5);
        host.forget(leg); // the ring timeout ended the leg; its event is queued behind the check at 6 s
        thread.advanceSeconds(0.5);
        assertThat(agent(1).state()).isEqualTo(AgentState.RINGING);
        host.hangUp(leg, HangupCause.NO_ANSWER);
        thread.drain();
        assertThat(agent(1).state()).isEqualTo(AgentState.NOT_READY);
        assertThat(agent(1).reason()).isEqualTo(AgentBoard.MISSED_REASON);
        assertThat(agentLog).noneMatch(e -> "correction".equals(e.cause()));
    }

    @Test
    void aCallerFoundGoneByTheSelfCheckCountsAsAbandonedOnceWhenTheHangUpFollows() {
        start(Queue.Strategy.LINEAR, settings(15, 0, 0, 0, List.of(), 0));
        acd.login(E, 1, new Device(Device.Kind.SIP, null), "agent");
        call("c1", "13800000001", 0);
        call("c2", "13800000002", 0);
        // The engine forgot c1 before emitting its hang-up, and the self-check runs in that gap.
        host.forget("c1");
        thread.advanceSeconds(2);
        assertThat(acd.waiting(E)).extracting(Acd.WaitingView::callId).containsExactly("c2");
        assertThat(live().abandoned()).isEqualTo(1);
        host.hangUp("c1", HangupCause.NORMAL_CLEARING); // the late event finds nothing left to do
        thread.drain();
        assertThat(live().abandoned()).isEqualTo(1);
        host.hangUp("c2", HangupCause.NORMAL_CLEARING); // an ordinary hang-up counts the same way
        thread.drain();
        assertThat(live().abandoned()).isEqualTo(2);
        assertThat(live().entered()).isEqualTo(2);
        assertThat(acd.waiting(E)).isEmpty();
    }
}
