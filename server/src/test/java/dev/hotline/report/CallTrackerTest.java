package dev.hotline.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How the events of one call fold into its record. */
class CallTrackerTest {
    static final Instant T = Instant.parse("2026-11-25T10:00:00Z");

    static CallTracker call(CallLogEvent... events) {
        CallTracker t = new CallTracker();
        t.apply(new CallLogEvent.Arrived(1, "c", T, "in", "inbound", "138", "4000", "trunk", "1001"));
        for (CallLogEvent e : events) t.apply(e);
        return t;
    }

    static CallLogEvent dial() {
        return new CallLogEvent.Dialing(1, "c", T.plusMillis(1), "out", "x");
    }

    static CallLogEvent hangup(String ch, String cause, int status, int s) {
        return new CallLogEvent.HungUp(1, "c", T.plusSeconds(s), ch, cause, status);
    }

    @Test
    void unfinishedUntilEveryLegEnded() {
        CallTracker t = call(dial(), new CallLogEvent.Answered(1, "c", T.plusSeconds(3), "out"), hangup("out", "NORMAL_CLEARING", 0, 10));
        assertThat(t.finished()).isFalse();
        t.apply(hangup("in", "NORMAL_CLEARING", 0, 10));
        assertThat(t.finished()).isTrue();
        CallRecord r = t.record();
        assertThat(r.outcome()).isEqualTo(CallRecord.Outcome.ANSWERED);
        assertThat(r.talkSeconds()).isEqualTo(7);
        assertThat(r.hangupBy()).isEqualTo("callee");
    }

    @Test
    void busyNoAnswerCancelledRejectedBlocked() {
        assertThat(call(dial(), hangup("out", "USER_BUSY", 486, 1), hangup("in", "USER_BUSY", 486, 1)).record().outcome())
                .isEqualTo(CallRecord.Outcome.BUSY);
        assertThat(call(dial(), hangup("out", "NO_ANSWER", 480, 30), hangup("in", "NO_ANSWER", 480, 30)).record().outcome())
                .isEqualTo(CallRecord.Outcome.NO_ANSWER);
        CallRecord cancelled = call(dial(), hangup("in", "ORIGINATOR_CANCEL", 487, 4), hangup("out", "ORIGINATOR_CANCEL", 487, 4)).record();
        assertThat(cancelled.outcome()).isEqualTo(CallRecord.Outcome.CANCELLED);
        assertThat(cancelled.hangupBy()).isEqualTo("caller");
        assertThat(call(new CallLogEvent.Rejected(1, "c", T, "in", 404, "no number"), hangup("in", "UNALLOCATED_NUMBER", 404, 0))
                .record().outcome()).isEqualTo(CallRecord.Outcome.REJECTED);
        CallRecord blocked = call(new CallLogEvent.Blocked(1, "c", T, "in", "139*"), hangup("in", "CALL_REJECTED", 603, 0)).record();
        assertThat(blocked.outcome()).isEqualTo(CallRecord.Outcome.BLOCKED);
        assertThat(blocked.hangupBy()).isEqualTo("system");
    }

    @Test
    void mediaTimeoutIsASystemHangup() {
        CallRecord r = call(dial(), new CallLogEvent.Answered(1, "c", T.plusSeconds(1), "out"),
                hangup("in", "MEDIA_TIMEOUT", 0, 61), hangup("out", "MEDIA_TIMEOUT", 0, 61)).record();
        assertThat(r.hangupBy()).isEqualTo("system");
        assertThat(r.hangupCause()).isEqualTo("media_timeout");
    }

    static CallLogEvent answered(String ch, int s) {
        return new CallLogEvent.Answered(1, "c", T.plusSeconds(s), ch);
    }

    static CallLogEvent node(String node, int s) {
        return new CallLogEvent.IvrNode(1, "c", T.plusSeconds(s), "in", "main", node, node.equals("bye") ? "hangup" : "menu");
    }

    static CallLogEvent join(int s) {
        return new CallLogEvent.QueueJoined(1, "c", T.plusSeconds(s), "in", "sales", 0, 1);
    }

    static CallLogEvent offer(String leg, int s) {
        return new CallLogEvent.QueueOffered(1, "c", T.plusSeconds(s), leg, "sales", 7, "8001", "sip");
    }

    static CallLogEvent left(String result, int s) {
        return new CallLogEvent.QueueLeft(1, "c", T.plusSeconds(s), "in", "sales", result, "r", null, s * 1000L);
    }

    @Test
    void dispositionTellsAPersonFromTheIvrAndWhereACallerWasLost() {
        // A person answered: the dialled extension, or an agent of a queue.
        assertThat(call(dial(), answered("out", 3), hangup("in", "NORMAL_CLEARING", 0, 9), hangup("out", "NORMAL_CLEARING", 0, 9))
                .record().disposition()).isEqualTo(CallRecord.Disposition.ANSWERED);
        assertThat(call(answered("in", 0), node("menu", 0), join(2), offer("a", 3), answered("a", 5),
                new CallLogEvent.QueueConnected(1, "c", T.plusSeconds(5), "in", "sales", 7, "8001", 3000),
                hangup("a", "NORMAL_CLEARING", 0, 20), hangup("in", "NORMAL_CLEARING", 0, 20)).record().disposition())
                .isEqualTo(CallRecord.Disposition.ANSWERED);
        // Only the IVR: a night voicemail; self-service that the IVR ended; a caller hanging up in the menu.
        assertThat(call(answered("in", 0), node("night", 0), new CallLogEvent.VoicemailLeft(1, "c", T.plusSeconds(9), "in", "queue",
                "support", "138", null, null, 4000), hangup("in", "NORMAL_CLEARING", 0, 14)).record().disposition())
                .isEqualTo(CallRecord.Disposition.VOICEMAIL);
        assertThat(call(answered("in", 0), node("menu", 0), node("bye", 5), hangup("in", "NORMAL_CLEARING", 0, 6)).record().disposition())
                .as("the IVR hung up at its hang-up node").isEqualTo(CallRecord.Disposition.IVR_ONLY);
        CallTracker inMenu = call(answered("in", 0), node("menu", 0));
        inMenu.apply(hangup("in", "NORMAL_CLEARING", 0, 4));
        assertThat(inMenu.record().hangupBy()).isEqualTo("caller");
        assertThat(inMenu.record().disposition()).isEqualTo(CallRecord.Disposition.ABANDONED_IVR);
        // Lost in a queue: waiting, or while an agent's phone rang.
        assertThat(call(answered("in", 0), join(1), hangup("in", "NORMAL_CLEARING", 0, 21)).record().disposition())
                .isEqualTo(CallRecord.Disposition.ABANDONED_QUEUE);
        assertThat(call(answered("in", 0), join(1), offer("a", 2), left("abandoned", 6), hangup("in", "NORMAL_CLEARING", 0, 6),
                hangup("a", "ORIGINATOR_CANCEL", 487, 6)).record().disposition()).isEqualTo(CallRecord.Disposition.ABANDONED_RINGING);
        // Not answered by the system: busy, or a queue overflowing to nowhere.
        assertThat(call(dial(), hangup("out", "USER_BUSY", 486, 1), hangup("in", "USER_BUSY", 486, 1)).record().disposition())
                .isEqualTo(CallRecord.Disposition.UNANSWERED);
        assertThat(call(answered("in", 0), join(1), left("overflow", 30), new CallLogEvent.HungUp(1, "c", T.plusSeconds(30), "in",
                "NORMAL_CLEARING", 0)).record().disposition()).as("hung up by the system after an overflow to hang-up")
                .isEqualTo(CallRecord.Disposition.UNANSWERED);
        // A caller who gives up while a flow's transfer rings an extension.
        assertThat(call(answered("in", 0), node("operator", 1), dial(), hangup("in", "NORMAL_CLEARING", 0, 9),
                hangup("out", "ORIGINATOR_CANCEL", 487, 9)).record().disposition()).isEqualTo(CallRecord.Disposition.ABANDONED_RINGING);
        // A caller who gives up while the extension rings.
        assertThat(call(dial(), hangup("in", "ORIGINATOR_CANCEL", 487, 4), hangup("out", "ORIGINATOR_CANCEL", 487, 4)).record()
                .disposition()).isEqualTo(CallRecord.Disposition.ABANDONED_RINGING);
    }

    @Test
    void ivrPathHoldsAndTransfersAreKept() {
        CallRecord r = call(answered("in", 0), node("hours", 0), node("menu", 0), new CallLogEvent.IvrKey(1, "c", T.plusSeconds(3), "in",
                        "main", "menu", "1"), node("sales", 3), dial(), answered("out", 5),
                new CallLogEvent.Hold(1, "c", T.plusSeconds(10), "out", true), new CallLogEvent.Hold(1, "c", T.plusSeconds(25), "out", false),
                new CallLogEvent.Hold(1, "c", T.plusSeconds(30), "out", true),
                new CallLogEvent.Transfer(1, "c", T.plusSeconds(40), "out", "blind", "1002"),
                hangup("in", "NORMAL_CLEARING", 0, 50), hangup("out", "NORMAL_CLEARING", 0, 50)).record();
        assertThat(r.ivrPath()).isEqualTo("main: hours > menu [1] > sales");
        assertThat(r.holdCount()).isEqualTo(2);
        assertThat(r.holdSeconds()).as("15 s, then 20 s until the hang-up").isEqualTo(35);
        assertThat(r.transfers()).isEqualTo(1);
        assertThat(r.callee()).as("the dialled number").isEqualTo("4000");
    }
}
