package dev.hotline.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RPT-2, RPT-3: how the holds of a queue call fold into its answered visit's talk and hold. The hold is the agent's side
 * holding the customer (the agent's phone, the desk, a consultation: logged on the agent's leg); the customer's own hold
 * stays talk.
 */
class QueueVisitsTest {
    static final Instant T = Instant.parse("2026-12-07T10:00:00Z");

    /** A queue call: the caller joins at 1 s, agent leg "ag" is offered at 2 s and answers at 3 s; the queue connects at {@code connect} s. */
    static List<CallLogEvent> answeredAt(int connect) {
        List<CallLogEvent> l = new ArrayList<>();
        l.add(new CallLogEvent.Arrived(1, "c", T, "in", "inbound", "138", "4000", "trunk", null));
        l.add(new CallLogEvent.QueueJoined(1, "c", T.plusSeconds(1), "in", "sales", 0, 1));
        l.add(new CallLogEvent.QueueOffered(1, "c", T.plusSeconds(2), "ag", "sales", 7, "8001", "sip:1001"));
        l.add(new CallLogEvent.Answered(1, "c", T.plusSeconds(3), "ag"));
        return l;
    }

    static CallLogEvent connected(int s) {
        return new CallLogEvent.QueueConnected(1, "c", T.plusSeconds(s), "ag", "sales", 7, "8001", (s - 1) * 1000L);
    }

    static CallLogEvent hold(String leg, int s, boolean held) {
        return new CallLogEvent.Hold(1, "c", T.plusSeconds(s), leg, held);
    }

    static QueueVisits.Visit fold(List<CallLogEvent> events, int end) {
        QueueVisits v = new QueueVisits();
        events.forEach(v::apply);
        v.apply(new CallLogEvent.HungUp(1, "c", T.plusSeconds(end), "in", "NORMAL_CLEARING", 0));
        v.apply(new CallLogEvent.HungUp(1, "c", T.plusSeconds(end), "ag", "NORMAL_CLEARING", 0));
        assertThat(v.visits()).hasSize(1);
        return v.visits().get(0);
    }

    @Test
    void theAgentsPhoneHoldingAfterTheConnectIsHoldAndTheTalkRunsOn() {
        List<CallLogEvent> l = answeredAt(5);
        l.add(connected(5));
        l.add(hold("ag", 10, true));
        l.add(hold("ag", 14, false));
        QueueVisits.Visit v = fold(l, 20);
        assertThat(v.result()).isEqualTo("answered");
        assertThat(v.holdMs()).isEqualTo(4000);
        assertThat(v.talkMs()).isEqualTo(11_000); // 5 s → 20 s without the 4 s hold
    }

    @Test
    void aHoldOfTheAgentsPhoneBeforeTheConnectCountsFromTheConnect() {
        // The agent's phone holds at 4 s while the caller still hears the queue's announcement; connected at 6 s, resumed at 9 s.
        List<CallLogEvent> l = answeredAt(6);
        l.add(hold("ag", 4, true));
        l.add(connected(6));
        l.add(hold("ag", 9, false));
        QueueVisits.Visit v = fold(l, 15);
        assertThat(v.waitMs()).isEqualTo(5000);
        assertThat(v.holdMs()).as("held from the connect to the resume").isEqualTo(3000);
        assertThat(v.talkMs()).as("6 s → 15 s without the hold").isEqualTo(6000);
    }

    @Test
    void aHoldStillOpenWhenTheCallEndsEndsWithIt() {
        List<CallLogEvent> l = answeredAt(5);
        l.add(connected(5));
        l.add(hold("ag", 8, true));
        QueueVisits.Visit v = fold(l, 12);
        assertThat(v.holdMs()).isEqualTo(4000);
        assertThat(v.talkMs()).isEqualTo(3000);
    }

    @Test
    void theCustomersOwnHoldIsTalkNotTheAgentsHold() {
        List<CallLogEvent> l = answeredAt(5);
        l.add(connected(5));
        l.add(hold("in", 7, true));
        l.add(hold("in", 10, false));
        l.add(hold("ag", 11, true)); // then the agent holds: only this counts
        l.add(hold("ag", 13, false));
        QueueVisits.Visit v = fold(l, 15);
        assertThat(v.holdMs()).isEqualTo(2000);
        assertThat(v.talkMs()).isEqualTo(8000);
    }

    @Test
    void aHoldThatEndedBeforeTheConnectIsNotCounted() {
        List<CallLogEvent> l = answeredAt(6);
        l.add(hold("ag", 3, true));
        l.add(hold("ag", 4, false));
        l.add(connected(6));
        QueueVisits.Visit v = fold(l, 10);
        assertThat(v.holdMs()).isZero();
        assertThat(v.talkMs()).isEqualTo(4000);
    }

    /**
     * SUP-1: the agent view's running talk and hold come from this fold in memory ({@code openTalk}, through
     * {@code Reports.running}, which reads no event of the call): a hold shows the moment it is folded, the talk stands
     * still while it lasts and runs again after the resume, and at the hang-up the visit the reports count has exactly
     * what the live figures said (no talk running on, then stepping back once the event log has written the hold).
     */
    @Test
    void theOpenTalkHoldsTheMomentTheHoldIsFoldedAndEndsEqualToTheReportsVisit() {
        QueueVisits v = new QueueVisits();
        List<CallLogEvent> l = answeredAt(5);
        l.forEach(v::apply);
        assertThat(v.openTalk()).as("answered by the agent's phone, not yet connected by the queue").isNull();
        v.apply(connected(5));
        QueueVisits.OpenTalk talking = v.openTalk();
        assertThat(talking.agentUserId()).isEqualTo(7);
        assertThat(talking.agentLeg()).isEqualTo("ag");
        assertThat(talking.onHold()).isFalse();
        assertThat(talking.talkMs(T.plusSeconds(9))).isEqualTo(4000);

        v.apply(hold("ag", 10, true));
        QueueVisits.OpenTalk held = v.openTalk();
        assertThat(held.onHold()).isTrue();
        assertThat(held.talkMs(T.plusSeconds(12))).as("the talk stops at the hold").isEqualTo(5000);
        assertThat(held.talkMs(T.plusSeconds(18))).as("and stands still while it lasts").isEqualTo(5000);
        assertThat(held.holdMs(T.plusSeconds(18))).isEqualTo(8000);

        v.apply(hold("in", 19, true)); // the caller's own phone holding the agent: still the agent's hold, nothing more
        v.apply(hold("in", 19, false));
        v.apply(hold("ag", 20, false));
        QueueVisits.OpenTalk resumed = v.openTalk();
        assertThat(resumed.onHold()).isFalse();
        assertThat(resumed.talkMs(T.plusSeconds(25))).as("the talk runs again after the resume").isEqualTo(10_000);
        assertThat(resumed.holdMs(T.plusSeconds(25))).as("the hold stands still").isEqualTo(10_000);

        v.apply(new CallLogEvent.HungUp(1, "c", T.plusSeconds(25), "in", "NORMAL_CLEARING", 0));
        v.apply(new CallLogEvent.HungUp(1, "c", T.plusSeconds(25), "ag", "NORMAL_CLEARING", 0));
        assertThat(v.openTalk()).as("ended: nothing runs").isNull();
        QueueVisits.Visit done = v.visits().get(0);
        assertThat(done.talkMs()).as("the report's talk = the live talk at the end").isEqualTo(resumed.talkMs(T.plusSeconds(25)));
        assertThat(done.holdMs()).as("the report's hold = the live hold at the end").isEqualTo(resumed.holdMs(T.plusSeconds(25)));
    }

    @Test
    void theCustomersOwnHoldLeavesTheOpenTalkRunning() {
        QueueVisits v = new QueueVisits();
        List<CallLogEvent> l = answeredAt(5);
        l.add(connected(5));
        l.add(hold("in", 8, true));
        l.forEach(v::apply);
        assertThat(v.openTalk().onHold()).isFalse();
        assertThat(v.openTalk().talkMs(T.plusSeconds(12))).isEqualTo(7000);
    }
}
