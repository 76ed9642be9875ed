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
}
