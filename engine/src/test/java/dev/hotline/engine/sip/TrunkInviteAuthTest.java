package dev.hotline.engine.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotline.engine.Engines;
import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.CallHandler;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.ChannelState;
import dev.hotline.engine.call.DialRequest;
import dev.hotline.engine.call.EngineConfig;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.engine.call.InboundPolicy;
import dev.hotline.engine.call.Target;
import dev.hotline.engine.call.TelephonyEngine;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PBX-2 carrier auth: SIPp as a carrier that challenges the INVITE of a trunk call with 401 or 407 (RFC 3261 §22.2):
 * the engine sends it again with the trunk account's digest (CSeq 2, same Call-ID), the call connects, ACK and BYE
 * carry the right CSeq (checked by the scenario); wrong credentials end the leg with the carrier's status after one
 * retry; the outbound policy can refuse a leg before anything is sent.
 */
class TrunkInviteAuthTest {
    @TempDir
    Path work;
    TelephonyEngine engine;
    final Map<String, CallEvent.ChannelHungUp> hungUp = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws Exception {
        int port = Ports.free();
        int rtp = Ports.free(16);
        engine = Engines.start(EngineConfig.defaults().withBind("127.0.0.1", port).withRtpPorts(rtp, rtp + 15),
                (d, u) -> Optional.empty(), s -> InboundPolicy.Decision.REJECT, new CallHandler() {
                    @Override
                    public void onIncomingCall(CallEvent.IncomingCall call) {
                        call.channel().reject(403);
                    }

                    @Override
                    public void onEvent(CallEvent event) {
                        if (event instanceof CallEvent.ChannelHungUp h) hungUp.put(h.channelId(), h);
                    }
                });
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    /** SIPp as the carrier, expecting the digest (RFC 2617 §3.2.2, no qop) of acct77/{@code password}. */
    Sipp.Run carrier(int port, String code, String password) throws Exception {
        String nonce = "n" + port + "c23432d2e131a5fb";
        // JAIN-SIP's retry transaction adds the resolved hop as maddr to the Request-URI; the digest covers it as sent.
        String uri = "sip:13800138000@127.0.0.1:" + port + ";maddr=127.0.0.1";
        String expect = DigestAuthenticator.md5(DigestAuthenticator.md5("acct77:carrier.example:" + password) + ":" + nonce + ":"
                + DigestAuthenticator.md5("INVITE:" + uri));
        Sipp.Run run = Sipp.start(work, "uas_auth_answer", Map.of("CODE", code,
                "CHALLENGE", code.equals("401") ? "WWW-Authenticate" : "Proxy-Authenticate",
                "AUTHORIZATION", code.equals("401") ? "Authorization" : "Proxy-Authorization", "NONCE", nonce, "EXPECT", expect),
                null, port, List.of());
        Sipp.awaitUdpBound(port);
        return run;
    }

    Channel dial(int port, String password) {
        return engine.originate(DialRequest.to(new Target.Uri("13800138000", "127.0.0.1", port, "udp",
                new Target.TrunkAccount("trunk-1", "acct77", password))));
    }

    void connectsAfterChallenge(String code) throws Exception {
        int port = Ports.free();
        Sipp.Run carrier = carrier(port, code, "s3cret");
        Channel ch = dial(port, "s3cret");
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> ch.state() == ChannelState.UP);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("not connected: " + carrier.logs(), e);
        }
        ch.hangup(HangupCause.NORMAL_CLEARING);
        assertThat(carrier.await(Duration.ofSeconds(20))).as(carrier.logs()).isZero();
        String msgs = carrier.messages();
        assertThat(msgs).contains(code.equals("401") ? "Authorization: Digest" : "Proxy-Authorization: Digest");
        assertThat(msgs.split("INVITE sip:", -1)).hasSize(3); // two INVITEs
        String second = msgs.substring(msgs.lastIndexOf("INVITE sip:"));
        String requestUri = second.substring("INVITE ".length(), second.indexOf(" SIP/2.0"));
        assertThat(second).contains("uri=\"" + requestUri + "\"");
    }

    @Test
    void answersA407ProxyChallenge() throws Exception {
        connectsAfterChallenge("407");
    }

    @Test
    void answersA401Challenge() throws Exception {
        connectsAfterChallenge("401");
    }

    @Test
    void wrongCredentialsFailTheLegAfterOneRetry() throws Exception {
        int port = Ports.free();
        Sipp.Run carrier = carrier(port, "407", "s3cret");
        Channel ch = dial(port, "wrong");
        await().atMost(Duration.ofSeconds(10)).until(() -> hungUp.containsKey(ch.id()));
        assertThat(hungUp.get(ch.id()).sipStatus()).isEqualTo(407);
        assertThat(hungUp.get(ch.id()).cause()).isEqualTo(HangupCause.FORBIDDEN);
        // the scenario's closing pause fails the run on a third INVITE
        assertThat(carrier.await(Duration.ofSeconds(20))).as(carrier.logs()).isZero();
        assertThat(carrier.messages().split("INVITE sip:", -1)).hasSize(3);
    }

    @Test
    void withoutCredentialsAChallengeFailsTheLeg() throws Exception {
        int port = Ports.free();
        Sipp.Run carrier = carrier(port, "401", "s3cret");
        Channel ch = engine.originate(DialRequest.to(Target.Uri.udp("13800138000", "127.0.0.1", port)));
        await().atMost(Duration.ofSeconds(10)).until(() -> hungUp.containsKey(ch.id()));
        assertThat(hungUp.get(ch.id()).sipStatus()).isEqualTo(401);
        carrier.kill();
        assertThat(carrier.messages().split("INVITE sip:", -1)).hasSize(2);
    }

    @Test
    void theOutboundPolicyRefusesALegBeforeItsInvite() throws Exception {
        int port = Ports.free();
        Sipp.Run carrier = carrier(port, "407", "s3cret");
        engine.outboundPolicy(leg -> !(leg.target().orElse(null) instanceof Target.Uri u && u.account() != null
                && u.account().key().equals("trunk-1")));
        Channel ch = dial(port, "s3cret");
        await().atMost(Duration.ofSeconds(10)).until(() -> hungUp.containsKey(ch.id()));
        assertThat(hungUp.get(ch.id()).sipStatus()).isEqualTo(503);
        assertThat(hungUp.get(ch.id()).cause()).isEqualTo(HangupCause.SERVICE_UNAVAILABLE);
        carrier.kill();
        assertThat(carrier.messages()).doesNotContain("INVITE sip:");
    }
}
