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
}
