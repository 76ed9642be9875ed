package dev.hotline.engine.sip;

import static org.assertj.core.api.Assertions.assertThat;

import javax.sip.SipFactory;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RFC 3261 §20.1 Accept, as the INVITE (SDP answers) and SUBSCRIBE (dialog-info NOTIFYs) handlers read it. */
class SipAcceptTest {
    static MessageFactory mf;

    @BeforeAll
    static void factories() throws Exception {
        SipFactory f = SipFactory.getInstance();
        f.setPathName("gov.nist");
        mf = f.createMessageFactory();
    }

    static Request request(String acceptHeaders) throws Exception {
        return mf.createRequest("SUBSCRIBE sip:1002@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1\r\n"
                + "From: <sip:1001@127.0.0.1>;tag=abc\r\nTo: <sip:1002@127.0.0.1>\r\n"
                + "Call-ID: acc-1\r\nCSeq: 1 SUBSCRIBE\r\nMax-Forwards: 70\r\n" + acceptHeaders + "Content-Length: 0\r\n\r\n");
    }

    @Test
    void noAcceptHeaderAdmitsTheDefault() throws Exception {
        assertThat(SipMessages.accepts(request(""), "application", "sdp")).isTrue();
    }

    @Test
    void oneOfSeveralTypesOrAWildcardAdmits() throws Exception {
        Request r = request("Accept: text/plain, application/dialog-info+xml\r\n");
        assertThat(SipMessages.accepts(r, "application", "dialog-info+xml")).isTrue();
        assertThat(SipMessages.accepts(r, "application", "sdp")).isFalse();
        assertThat(SipMessages.accepts(request("Accept: application/*\r\n"), "application", "sdp")).isTrue();
        assertThat(SipMessages.accepts(request("Accept: */*\r\n"), "application", "dialog-info+xml")).isTrue();
        assertThat(SipMessages.accepts(request("Accept: APPLICATION/SDP\r\n"), "application", "sdp")).as("case-insensitive").isTrue();
    }

    @Test
    void anAcceptThatRulesTheTypeOutRefuses() throws Exception {
        assertThat(SipMessages.accepts(request("Accept: application/pidf+xml\r\n"), "application", "dialog-info+xml")).isFalse();
        assertThat(SipMessages.accepts(request("Accept: text/*\r\n"), "application", "sdp")).isFalse();
    }
}
