package dev.hotline.engine.sip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.engine.Engines;
import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.CallHandler;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.DialRequest;
import dev.hotline.engine.call.EngineConfig;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.engine.call.InboundPolicy;
import dev.hotline.engine.call.Target;
import dev.hotline.engine.call.TelephonyEngine;
import dev.hotline.engine.fax.FaxDocument;
import dev.hotline.engine.fax.FaxResult;
import dev.hotline.engine.fax.FaxTimers;
import dev.hotline.engine.testing.Ports;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fax through SIP (MSG-5): the engine calls itself; the called leg answers as a receiving fax terminal and offers T.38
 * by re-INVITE, the calling leg (told to fax before the answer) takes it, and the document crosses as UDPTL between
 * the two legs' anchored ports. A leg whose party refuses T.38 fails the fax with the reason.
 */
class SipFaxTest {
    static TelephonyEngine engine;
    static int port;
    static final CompletableFuture<FaxResult> received = new CompletableFuture<>();
    static volatile boolean refuseT38;

    @BeforeAll
    static void start() throws Exception {
        port = Ports.free();
        int rtp = Ports.free(40);
        EngineConfig config = EngineConfig.defaults().withBind("127.0.0.1", port).withDefaultDomain("fax.local")
                .withRtpPorts(rtp, rtp + 39);
        engine = Engines.start(config, (d, u) -> Optional.empty(), s -> InboundPolicy.Decision.TRUSTED,
                new CallHandler() {
                    @Override
                    public void onIncomingCall(CallEvent.IncomingCall call) {
                        Channel in = call.channel();
                        in.answer();
                        if (call.callee().user().equals("fax")) {
                            in.fax(null, "+86 21 0002", FaxTimers.T30).thenAccept(received::complete);
                        }
                    }
                });
    }

    @AfterAll
    static void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void aDocumentCrossesASipCallAsT38() throws Exception {
        FaxDocument doc = new FaxDocument(List.of(page("SIP fax page one"), page("page two")), false);
        CompletableFuture<FaxResult> sent = new CompletableFuture<>();
        Channel out = engine.originate(DialRequest.to(Target.Uri.udp("fax", "127.0.0.1", port)),
                c -> c.fax(doc, "+86 10 0001", FaxTimers.T30).thenAccept(sent::complete));
        FaxResult s = sent.get(60, TimeUnit.SECONDS);
        assertThat(s.ok()).as(s.error()).isTrue();
        assertThat(s.pages()).isEqualTo(2);
        FaxResult r = received.get(20, TimeUnit.SECONDS);
        assertThat(r.ok()).as(r.error()).isTrue();
        assertThat(r.remoteId()).isEqualTo("+86 10 0001");
        assertThat(r.received().pages()).hasSize(2);
        for (int i = 0; i < 2; i++) {
            assertThat(FaxDocument.samePels(r.received().pages().get(i), doc.pages().get(i))).isTrue();
        }
        assertThat(out.counters().toString()).isNotEmpty();
        out.hangup(HangupCause.NORMAL_CLEARING);
    }

    @Test
    void aPartyThatNeverOffersNorTakesT38FailsTheFax() throws Exception {
        FaxDocument doc = new FaxDocument(List.of(page("nobody")), false);
        CompletableFuture<FaxResult> sent = new CompletableFuture<>();
        // the called user is answered as a plain call: it refuses our T.38 re-INVITE (no bridge to relay it to)
        Channel out = engine.originate(DialRequest.to(Target.Uri.udp("plain", "127.0.0.1", port)),
                c -> c.fax(doc, "1", FaxTimers.T30).thenAccept(sent::complete));
        FaxResult s = sent.get(30, TimeUnit.SECONDS);
        assertThat(s.ok()).isFalse();
        assertThat(s.error()).contains("refused T.38");
        out.hangup(HangupCause.NORMAL_CLEARING);
    }

    static BufferedImage page(String text) {
        BufferedImage p = new BufferedImage(1728, 200, BufferedImage.TYPE_BYTE_BINARY);
        Graphics2D g = p.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 1728, 200);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SERIF, Font.BOLD, 48));
        g.drawString(text, 60, 120);
        g.dispose();
        return p;
    }
}
