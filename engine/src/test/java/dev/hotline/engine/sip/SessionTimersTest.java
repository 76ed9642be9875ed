package dev.hotline.engine.sip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.engine.call.EngineConfig;
import java.util.concurrent.TimeUnit;
import javax.sip.SipFactory;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RFC 4028 session timers without a network: the headers of our answers and who refreshes when. */
class SessionTimersTest {
    static SessionTimers timers;
    static MessageFactory mf;

    @BeforeAll
    static void factories() throws Exception {
        SipFactory f = SipFactory.getInstance();
        f.setPathName("gov.nist");
        mf = f.createMessageFactory();
        timers = new SessionTimers(new SipMessages(EngineConfig.defaults(), null, f.createHeaderFactory(),
                f.createAddressFactory(), mf));
    }

    static Request invite(String extraHeaders) throws Exception {
        return mf.createRequest("INVITE sip:4000@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1\r\n"
                + "From: <sip:0555@127.0.0.1>;tag=abc\r\nTo: <sip:4000@127.0.0.1>\r\n"
                + "Call-ID: st-1\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\n"
                + "Contact: <sip:0555@127.0.0.1:5070>\r\n" + extraHeaders + "Content-Length: 0\r\n\r\n");
    }

    static long seconds(double s) {
        return (long) (s * TimeUnit.SECONDS.toNanos(1));
    }

    @Test
    void uacThatSupportsTimersRefreshesAndWeEndTheSessionWithoutRefresh() throws Exception {
        Request req = invite("Supported: timer\r\nSession-Expires: 120;refresher=uac\r\n");
        Response ok = mf.createResponse(200, req);
        SessionTimer t = new SessionTimer();
        long before = System.nanoTime();
        timers.onAnswer(t, req, ok);
        assertThat(ok.toString()).contains("Session-Expires: 120;refresher=uac").contains("Require: timer");
        assertThat(t.interval()).isEqualTo(120);
        assertThat(t.weRefresh()).isFalse();
        // RFC 4028 §10: BYE at the interval minus min(32, interval/3) = 88 s without a refresh
        assertThat(t.takeExpiry(before + seconds(87))).isFalse();
        assertThat(t.takeExpiry(System.nanoTime() + seconds(88.5))).isTrue();
        assertThat(t.takeExpiry(System.nanoTime() + seconds(200))).as("taken once").isFalse();
        assertThat(t.takeRefresh(System.nanoTime() + seconds(200))).isFalse();
    }

    @Test
    void uacWithoutTimerSupportLeavesTheRefreshToUs() throws Exception {
        Request req = invite("Session-Expires: 120\r\n");
        Response ok = mf.createResponse(200, req);
        SessionTimer t = new SessionTimer();
        long before = System.nanoTime();
        timers.onAnswer(t, req, ok);
        assertThat(ok.toString()).contains("Session-Expires: 120;refresher=uas").doesNotContain("Require");
        assertThat(t.weRefresh()).isTrue();
        assertThat(t.takeRefresh(before + seconds(59))).as("refresh at half the interval").isFalse();
        assertThat(t.takeRefresh(System.nanoTime() + seconds(60.5))).isTrue();
        assertThat(t.takeRefresh(System.nanoTime() + seconds(200))).as("taken once").isFalse();
        assertThat(t.takeExpiry(System.nanoTime() + seconds(200))).isFalse();
    }

    @Test
    void compactFormAndAbsentHeader() throws Exception {
        Request compact = invite("Supported: timer\r\nx: 300\r\n");
        Response ok = mf.createResponse(200, compact);
        SessionTimer t = new SessionTimer();
        timers.onAnswer(t, compact, ok);
        assertThat(t.interval()).isEqualTo(300);
        assertThat(ok.toString()).contains("Session-Expires: 300;refresher=uac");

        Request none = invite("");
        Response plain = mf.createResponse(200, none);
        SessionTimer off = new SessionTimer();
        timers.onAnswer(off, none, plain);
        assertThat(plain.toString()).doesNotContain("Session-Expires");
        assertThat(off.interval()).isZero();
    }

    @Test
    void refreshReceivedRearmsAndAnswersAsRefresher() throws Exception {
        SessionTimer t = new SessionTimer();
        t.arm(120, true);
        Request refresh = invite("Supported: timer\r\nSession-Expires: 90\r\n");
        Response ok = mf.createResponse(200, refresh);
        timers.onRefresh(t, refresh, ok);
        assertThat(ok.toString()).contains("Session-Expires: 90;refresher=uac").contains("Require: timer");
        assertThat(t.interval()).isEqualTo(90);
        assertThat(t.weRefresh()).isFalse();

        Request bare = invite("");
        timers.onRefresh(t, bare, mf.createResponse(200, bare));
        assertThat(t.interval()).as("a refresh without the header keeps the interval").isEqualTo(90);
        assertThat(t.weRefresh()).isFalse();
    }

    @Test
    void answerToOurInviteSaysWhoRefreshes() throws Exception {
        Request withSe = invite("Session-Expires: 120;refresher=uas\r\n");
        Response r = mf.createResponse(200, withSe);
        r.setHeader(withSe.getHeader("Session-Expires"));
        SessionTimer t = new SessionTimer();
        timers.onOutboundAnswer(t, r);
        assertThat(t.interval()).isEqualTo(120);
        assertThat(t.weRefresh()).as("the far end (UAS) refreshes").isFalse();

        Request uac = invite("Session-Expires: 120;refresher=uac\r\n");
        Response r2 = mf.createResponse(200, uac);
        r2.setHeader(uac.getHeader("Session-Expires"));
        SessionTimer mine = new SessionTimer();
        timers.onOutboundAnswer(mine, r2);
        assertThat(mine.weRefresh()).as("we (UAC) refresh").isTrue();
    }

    @Test
    void intervalBelowTheMinimumIsRefused() throws Exception {
        assertThat(timers.refusedTooSmall(invite("Session-Expires: 30\r\n"), null)).isTrue();
        assertThat(timers.refusedTooSmall(invite("Session-Expires: 90\r\n"), null)).isFalse();
        assertThat(timers.refusedTooSmall(invite(""), null)).isFalse();
    }
}
