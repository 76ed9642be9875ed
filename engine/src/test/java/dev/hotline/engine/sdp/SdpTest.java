package dev.hotline.engine.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotline.engine.webrtc.WebRtcSdp;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SdpTest {
    static final String OFFER = """
            v=0\r
            o=alice 2890844526 2890844526 IN IP4 192.0.2.10\r
            s=-\r
            c=IN IP4 192.0.2.10\r
            t=0 0\r
            m=audio 49170 RTP/AVP 8 0 101\r
            a=rtpmap:8 PCMA/8000\r
            a=rtpmap:0 PCMU/8000\r
            a=rtpmap:101 telephone-event/8000\r
            a=fmtp:101 0-15\r
            a=ptime:20\r
            """;

    /** MSG-5: a T.38 offer (T.38 Annex D) is an active m=image udptl t38 stream without active audio. */
    @Test
    void readsAT38StreamAndWritesOurs() {
        String head = "v=0\r\no=- 1 2 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\n";
        var t38 = Sdp.t38((head + "m=audio 0 RTP/AVP 8\r\nm=image 4002 udptl t38\r\na=T38FaxVersion:0\r\na=T38MaxBitRate:14400\r\n"
                + "a=T38FaxUdpEC:t38UDPRedundancy\r\n").getBytes()).orElseThrow();
        assertThat(t38.address()).isEqualTo("192.0.2.10");
        assertThat(t38.port()).isEqualTo(4002);
        assertThat(t38.attributes()).containsExactly("T38FaxVersion:0", "T38MaxBitRate:14400", "T38FaxUdpEC:t38UDPRedundancy");
        assertThat(Sdp.t38((head + "m=image 4002 udptl t38\r\n").getBytes())).isPresent();
        assertThat(Sdp.t38((head + "m=audio 4000 RTP/AVP 8\r\nm=image 4002 udptl t38\r\n").getBytes())).as("audio still active").isEmpty();
        assertThat(Sdp.t38((head + "m=audio 4000 RTP/AVP 8\r\nm=image 0 udptl t38\r\n").getBytes())).as("image declined").isEmpty();
        assertThat(Sdp.t38((head + "m=image 4002 udptl t37\r\n").getBytes())).isEmpty();
        assertThat(Sdp.t38("junk".getBytes())).isEmpty();
        String ours = Sdp.writeT38(7, 3, "203.0.113.5", 20000, t38.attributes());
        assertThat(ours).contains("o=hotline 7 3 IN IP4 203.0.113.5\r\n", "c=IN IP4 203.0.113.5\r\n", "m=image 20000 udptl t38\r\n",
                "a=T38MaxBitRate:14400\r\n").doesNotContain("m=audio");
        assertThat(Sdp.t38(ours.getBytes()).orElseThrow().port()).isEqualTo(20000);
    }

    @Test
    void parsesAnAudioOffer() throws Exception {
        MediaDescription md = Sdp.parse(OFFER);
        assertThat(md.address()).isEqualTo("192.0.2.10");
        assertThat(md.port()).isEqualTo(49170);
        assertThat(md.rtcpPort()).isEqualTo(49171);
        assertThat(md.rtcpMux()).isFalse();
        assertThat(md.payloads()).extracting(PayloadType::number).containsExactly(8, 0, 101);
        assertThat(md.firstG711()).contains(PayloadType.PCMA);
        assertThat(md.telephoneEvent()).map(PayloadType::number).contains(101);
        assertThat(md.direction()).isEqualTo(MediaDirection.SENDRECV);
        assertThat(md.isHold()).isFalse();
    }

    @Test
    void staticPayloadTypesWithoutRtpmapAndMediaLevelConnection() throws Exception {
        MediaDescription md = Sdp.parse("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nt=0 0\r\n"
                + "m=audio 4000 RTP/AVP 0\r\nc=IN IP4 10.0.0.2\r\na=sendonly\r\na=rtcp-mux\r\n");
        assertThat(md.address()).isEqualTo("10.0.0.2");
        assertThat(md.firstG711()).contains(PayloadType.PCMU);
        assertThat(md.direction()).isEqualTo(MediaDirection.SENDONLY);
        assertThat(md.isHold()).isTrue();
        assertThat(md.rtcpMux()).isTrue();
        assertThat(md.rtcpPort()).isEqualTo(4000);
    }

    @Test
    void legacyHoldAndExplicitRtcpPort() throws Exception {
        MediaDescription md = Sdp.parse(OFFER.replace("c=IN IP4 192.0.2.10", "c=IN IP4 0.0.0.0")
                + "a=rtcp:53020\r\n");
        assertThat(md.isHold()).isTrue();
        assertThat(md.rtcpPort()).isEqualTo(53020);
    }

    @Test
    void writesWhatItReads() throws Exception {
        String text = Sdp.write(7, 2, "127.0.0.1", 20000,
                List.of(PayloadType.PCMU, PayloadType.TELEPHONE_EVENT), MediaDirection.RECVONLY, false);
        MediaDescription md = Sdp.parse(text);
        assertThat(md.port()).isEqualTo(20000);
        assertThat(md.firstG711()).contains(PayloadType.PCMU);
        assertThat(md.direction()).isEqualTo(MediaDirection.RECVONLY);
        assertThat(MediaDirection.SENDONLY.answer()).isEqualTo(MediaDirection.RECVONLY);
        assertThat(MediaDirection.INACTIVE.answer()).isEqualTo(MediaDirection.INACTIVE);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "hello",
            "o=- 1 1 IN IP4 1.2.3.4\r\nv=0\r\n",
            "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n",
            "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\n",
            "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\nm=video 4000 RTP/AVP 96\r\n",
            "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\nm=audio abc RTP/AVP 0\r\n",
            "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\nm=audio 99999 RTP/AVP 0\r\n",
            "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\nm=audio 4000 RTP/AVP 300\r\n",
            "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP6 ::1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n",
            "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 example.com\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n",
            "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\nm=audio 4000 TCP/MSRP *\r\n",
            "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=rtpmap:x PCMU/8000\r\n",
            "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\nm=audio\r\n"
    })
    void rejectsBadSdpWithAReason(String text) {
        assertThatThrownBy(() -> Sdp.parse(text)).isInstanceOf(SdpException.class).hasMessageNotContaining("null");
    }

    @Test
    void rejectsHugeAndBinaryBodies() {
        byte[] huge = (OFFER + "a=x:" + "y".repeat(Sdp.MAX_SDP_BYTES) + "\r\n").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Sdp.parse(huge)).isInstanceOf(SdpException.class).hasMessageContaining("too large");
        byte[] binary = new byte[200];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) (i * 37);
        }
        assertThatThrownBy(() -> Sdp.parse(binary)).isInstanceOf(SdpException.class);
        assertThatThrownBy(() -> Sdp.parse((byte[]) null)).isInstanceOf(SdpException.class).hasMessageContaining("missing");
    }

    @Test
    void anOfferWithoutG711StillParsesButHasNoCommonCodec() throws Exception {
        MediaDescription md = Sdp.parse(OFFER.replace("m=audio 49170 RTP/AVP 8 0 101", "m=audio 49170 RTP/AVP 18")
                .replace("a=rtpmap:8 PCMA/8000\r\na=rtpmap:0 PCMU/8000\r\n", "a=rtpmap:18 G729/8000\r\n"));
        assertThat(md.firstG711()).isEmpty();
    }

    @Test
    void g722AndOpusAreParsedNegotiatedAndWritten() throws Exception {
        // RFC 3551: payload type 9 is G.722 with an 8 kHz clock even without a=rtpmap; RFC 7587: opus/48000/2.
        MediaDescription md = Sdp.parse("v=0\r\no=a 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n"
                + "m=audio 4000 RTP/AVP 96 9 0 97 101\r\na=rtpmap:96 opus/48000/2\r\na=rtpmap:97 telephone-event/48000\r\n"
                + "a=rtpmap:101 telephone-event/8000\r\n");
        assertThat(md.firstSupported()).contains(new PayloadType(96, "opus", 48000));
        assertThat(md.payloads().get(1)).isEqualTo(PayloadType.G722);
        assertThat(md.payloads().get(1).isG722()).isTrue();
        assertThat(md.telephoneEvent(md.payloads().get(0)).map(PayloadType::number)).as("events at Opus' clock").contains(97);
        assertThat(md.telephoneEvent(PayloadType.PCMU).map(PayloadType::number)).contains(101);
        assertThat(PayloadType.G722.sameFormat(new PayloadType(9, "g722", 8000))).isTrue();
        assertThat(PayloadType.OPUS.sameFormat(new PayloadType(96, "OPUS", 48000))).isTrue();
        assertThat(PayloadType.OPUS.sameFormat(PayloadType.PCMU)).isFalse();
        String written = Sdp.write(1, 1, "192.0.2.9", 5000, List.of(PayloadType.OPUS, PayloadType.G722), MediaDirection.SENDRECV, false);
        assertThat(written).contains("m=audio 5000 RTP/AVP 111 9\r\n", "a=rtpmap:111 opus/48000/2\r\n",
                "a=fmtp:111 minptime=10;useinbandfec=1\r\n", "a=rtpmap:9 G722/8000\r\n");
        assertThat(Sdp.parse(written).firstSupported()).contains(PayloadType.OPUS);
        MediaDescription unknown = Sdp.parse("v=0\r\no=a 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n"
                + "m=audio 4000 RTP/AVP 18\r\na=rtpmap:18 G729/8000\r\n");
        assertThat(unknown.firstSupported()).as("G.729 is not spoken").isEmpty();
    }

    @Test
    void aBrowserOfferingOpusGetsOpusWithItsEventsAtFortyEightKilohertz() {
        String offer = String.join("\r\n", "v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0",
                "m=audio 9 UDP/TLS/RTP/SAVPF 111 9 0 8 110 126", "c=IN IP4 0.0.0.0", "a=ice-ufrag:abcd", "a=ice-pwd:abcdefghijklmnopqrstuvwx",
                "a=fingerprint:sha-256 " + "AB:".repeat(31) + "AB", "a=setup:actpass", "a=mid:0", "a=sendrecv", "a=rtcp-mux",
                "a=rtpmap:111 opus/48000/2", "a=fmtp:111 minptime=10;useinbandfec=1", "a=rtpmap:9 G722/8000", "a=rtpmap:0 PCMU/8000",
                "a=rtpmap:8 PCMA/8000", "a=rtpmap:110 telephone-event/48000", "a=rtpmap:126 telephone-event/8000", "");
        WebRtcSdp.Offer o = WebRtcSdp.parseOffer(offer);
        assertThat(o.codec()).isEqualTo(new PayloadType(111, "opus", 48000));
        assertThat(o.telephoneEvent()).isEqualTo(110);
        String answer = WebRtcSdp.answer(o, "192.0.2.9", 5000, "u", "p", "AB:CD", 7);
        assertThat(answer).contains("m=audio 5000 UDP/TLS/RTP/SAVPF 111 110\r\n", "a=rtpmap:111 opus/48000/2\r\n",
                "a=fmtp:111 minptime=10;useinbandfec=1\r\n", "a=rtpmap:110 telephone-event/48000\r\n");
        WebRtcSdp.Offer g711 = WebRtcSdp.parseOffer(offer, false);
        assertThat(g711.codec()).isEqualTo(new PayloadType(0, "PCMU", 8000));
        assertThat(g711.telephoneEvent()).isEqualTo(126);
        assertThat(WebRtcSdp.answer(g711, "192.0.2.9", 5000, "u", "p", "AB:CD", 7)).contains("a=rtpmap:0 PCMU/8000\r\n",
                "a=rtpmap:126 telephone-event/8000\r\n").doesNotContain("opus");
    }
}
