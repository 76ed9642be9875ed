package dev.hotline.engine.sip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.engine.sip.RawMessageGuard.Verdict;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RawMessageGuardTest {
    static final String HEADERS = "Via: SIP/2.0/UDP 192.0.2.1:5070;branch=z9hG4bK1\r\n"
            + "From: \"A\" <sip:a@example.com>;tag=1\r\n"
            + "To: <sip:b@example.com>\r\n"
            + "Call-ID: c1@example.com\r\n"
            + "CSeq: 1 OPTIONS\r\n";

    static Verdict check(String msg) {
        return RawMessageGuard.check(msg.getBytes(StandardCharsets.UTF_8));
    }

    static String text(Verdict v) {
        return new String(((Verdict.Rewrite) v).bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void underOverloadANewInviteIsRefused503WithRetryAfterButNotAnInDialogOneNorOtherMethods() {
        List<String> asked = new java.util.ArrayList<>();
        RawMessageGuard.Admission full = new RawMessageGuard.Admission() {
            @Override
            public java.util.OptionalInt refuseInvite(String callId) {
                asked.add(callId);
                return java.util.OptionalInt.of(7);
            }

            @Override
            public boolean probeArrived(byte[] datagram) {
                return false;
            }
        };
        String invite = "INVITE sip:b@example.com SIP/2.0\r\n" + HEADERS.replace("CSeq: 1 OPTIONS", "CSeq: 1 INVITE")
                + "Max-Forwards: 70\r\nContact: <sip:a@192.0.2.1:5070>\r\nContent-Length: 0\r\n\r\n";
        Verdict v = RawMessageGuard.check(invite.getBytes(StandardCharsets.UTF_8), full);
        assertThat(v).isEqualTo(new Verdict.Refuse(503, "Service Unavailable", List.of("Via: SIP/2.0/UDP 192.0.2.1:5070;branch=z9hG4bK1",
                "From: \"A\" <sip:a@example.com>;tag=1", "To: <sip:b@example.com>", "Call-ID: c1@example.com", "CSeq: 1 INVITE",
                "Retry-After: 7"), false));
        assertThat(asked).containsExactly("c1@example.com");
        String reInvite = invite.replace("To: <sip:b@example.com>", "To: <sip:b@example.com> ; TAG = x9");
        assertThat(RawMessageGuard.check(reInvite.getBytes(StandardCharsets.UTF_8), full)).isInstanceOf(Verdict.Pass.class);
        String bye = invite.replace("INVITE sip", "BYE sip").replace("1 INVITE", "2 BYE");
        assertThat(RawMessageGuard.check(bye.getBytes(StandardCharsets.UTF_8), full)).isInstanceOf(Verdict.Pass.class);
        assertThat(asked).hasSize(1);
    }

    @Test
    void aWellFormedRequestAndAnyResponsePassUntouched() {
        assertThat(check("OPTIONS sip:b@example.com SIP/2.0\r\n" + HEADERS + "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n"))
                .isInstanceOf(Verdict.Pass.class);
        assertThat(check("SIP/2.0 200 OK\r\n" + HEADERS + "CSeq: 2 OPTIONS\r\n\r\n")).isInstanceOf(Verdict.Pass.class);
    }

    @Test
    void aSingleHeaderTwiceIsMalformedInFullAndCompactFormButNotInTheBody() {
        String base = "OPTIONS sip:b@example.com SIP/2.0\r\n" + HEADERS + "Max-Forwards: 70\r\n";
        assertThat(check(base + "Content-Length: 4\r\nl: 5\r\n\r\nabcd")).isEqualTo(
                new Verdict.Malformed("Content-Length appears twice"));
        assertThat(check(base + "i: other@example.com\r\n\r\n")).isEqualTo(new Verdict.Malformed("Call-ID appears twice"));
        // a folded line belongs to the header above it, and the body is not headers
        assertThat(check(base + "Subject: a\r\n To: folded\r\nContent-Length: 9\r\n\r\nTo: x\r\n\r\n"))
                .isInstanceOf(Verdict.Pass.class);
    }

    @Test
    void anotherSipVersionIsRefused505WithTheHeadersToCopyAndTrailingSpaceIsNotAVersion() {
        Verdict v = check("OPTIONS sip:b@example.com SIP/7.0\r\n" + HEADERS + "Max-Forwards: 70\r\n\r\n");
        assertThat(v).isInstanceOf(Verdict.Refuse.class);
        Verdict.Refuse r = (Verdict.Refuse) v;
        assertThat(r.code()).isEqualTo(505);
        assertThat(r.copied()).hasSize(5).first().asString().startsWith("Via:");
        assertThat(check("OPTIONS sip:b@example.com SIP/2.0  \r\n" + HEADERS + "Max-Forwards: 70\r\n\r\n"))
                .isInstanceOf(Verdict.Pass.class);
    }

    @Test
    void missingDialogHeadersAreRefused400NamingThemAndAnAckIsNeverAnswered() {
        Verdict v = check("INVITE sip:b@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK2\r\nCSeq: 1 INVITE\r\n\r\n");
        assertThat(v).isEqualTo(new Verdict.Refuse(400, "Missing Call-ID, From, To",
                List.of("Via: SIP/2.0/UDP h;branch=z9hG4bK2", "CSeq: 1 INVITE"), false));
        assertThat(((Verdict.Refuse) check("ACK sip:b@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h\r\n\r\n")).ack()).isTrue();
        assertThat(check("OPTIONS sip:b@example.com SIP/2.0\r\nCSeq: 1 OPTIONS\r\n\r\n"))
                .isEqualTo(new Verdict.Malformed("no Via"));
    }

    @Test
    void anRfc2543InviteGetsMaxForwardsAndItsFromAsContactAndKeepsItsBody() {
        String msg = "INVITE sip:b@example.com SIP/2.0\r\nVia: SIP/2.0/UDP gw.example.com\r\n"
                + "From: <sip:+1303@gw.example.net;user=phone>\r\nTo: sip:b@example.com\r\nCall-ID: c2\r\n"
                + "CSeq: 56 INVITE\r\nContent-Type: application/sdp\r\n\r\nv=0\r\n";
        String out = text(check(msg));
        assertThat(out).startsWith("INVITE sip:b@example.com SIP/2.0\r\nMax-Forwards: 70\r\n"
                + "Contact: <sip:+1303@gw.example.net;user=phone>\r\nVia:").endsWith("\r\n\r\nv=0\r\n");
        // an RFC 2543 OPTIONS without Max-Forwards gets only that; an RFC 3261 request (magic cookie) is left to the
        // stack, which refuses it 400
        assertThat(text(check(msg.replace("INVITE", "OPTIONS")))).contains("Max-Forwards: 70\r\n").doesNotContain("Contact");
        assertThat(check("INVITE sip:b@example.com SIP/2.0\r\n" + HEADERS + "\r\n"))
                .isInstanceOf(Verdict.Pass.class);
    }
}
