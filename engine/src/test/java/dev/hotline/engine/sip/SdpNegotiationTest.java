package dev.hotline.engine.sip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.engine.rtp.MediaRelay;
import dev.hotline.engine.rtp.RtpEndpoint;
import dev.hotline.engine.sdp.MediaDirection;
import dev.hotline.engine.sdp.PayloadType;
import dev.hotline.engine.sdp.Sdp;
import dev.hotline.engine.testing.Ports;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** MEDIA-1: which format a SIP leg takes (G.711, G.722, Opus) and what an outbound leg offers. */
class SdpNegotiationTest {
    static String offer(String formats, String... rtpmaps) {
        return "v=0\r\no=a 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP " + formats + "\r\n"
                + String.join("", rtpmaps);
    }

    @Test
    void aLegTakesItsPartnersFormatWhenOfferedElseTheFirstItSpeaks() throws Exception {
        int base = Ports.free(10);
        try (MediaRelay relay = new MediaRelay("127.0.0.1", base, base + 9, 1)) {
            RtpEndpoint ep = relay.allocate();
            String g722First = offer("18 9 0 101", "a=rtpmap:18 G729/8000\r\n", "a=rtpmap:101 telephone-event/8000\r\n");

            SdpNegotiation alone = new SdpNegotiation("in-1", ep, "192.0.2.9", Sdp.parse(g722First));
            alone.chooseCodec(null);
            assertThat(alone.codec()).as("G.729 is skipped, G.722 taken").isEqualTo(PayloadType.G722);
            assertThat(ep.codec()).isEqualTo(PayloadType.G722);
            assertThat(alone.telephoneEventPt()).isEqualTo(101);
            assertThat(alone.localAnswer()).contains("m=audio " + ep.localPort() + " RTP/AVP 9 101\r\n", "a=rtpmap:9 G722/8000\r\n");

            SdpNegotiation withPartner = new SdpNegotiation("in-2", ep, "192.0.2.9", Sdp.parse(g722First));
            withPartner.chooseCodec(PayloadType.PCMU);
            assertThat(withPartner.codec()).as("the partner's μ-law: relayed untouched").isEqualTo(PayloadType.PCMU);

            // An outbound leg for a G.722 caller offers G.722 first, then both G.711 laws.
            SdpNegotiation out = new SdpNegotiation("out-1", ep, "192.0.2.9", null);
            assertThat(out.offerSdp(alone)).contains("RTP/AVP 9 0 8 101\r\n");
            // The callee answers Opus: taken, with its events at 48 kHz.
            String opus = offer("96 97 98", "a=rtpmap:96 opus/48000/2\r\n", "a=rtpmap:97 telephone-event/8000\r\n",
                    "a=rtpmap:98 telephone-event/48000\r\n");
            assertThat(out.takeAnswer(opus.getBytes(StandardCharsets.US_ASCII))).isTrue();
            assertThat(out.codec()).isEqualTo(new PayloadType(96, "opus", 48000));
            assertThat(out.telephoneEventPt()).isEqualTo(98);
            assertThat(out.localSdp(MediaDirection.SENDRECV))
                    .contains("a=rtpmap:96 opus/48000/2\r\n", "a=rtpmap:98 telephone-event/48000\r\n");
            assertThat(new SdpNegotiation("out-2", ep, "192.0.2.9", null)
                    .takeAnswer(offer("18", "a=rtpmap:18 G729/8000\r\n").getBytes(StandardCharsets.US_ASCII))).as("nothing we speak").isFalse();
            ep.close();
        }
    }
}
