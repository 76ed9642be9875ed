package dev.hotline.engine.bench;

import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.CallHandler;
import dev.hotline.engine.call.DialRequest;
import dev.hotline.engine.call.EngineConfig;
import dev.hotline.engine.call.InboundPolicy;
import dev.hotline.engine.call.Target;
import dev.hotline.engine.call.TelephonyEngine;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * Engine-only B2BUA for bench/run-cps.sh: every INVITE on {@code sipPort} is bridged to the SIPp UAS at
 * 127.0.0.1:{@code uasPort}. Usage: {@code B2buaBenchMain sipPort uasPort [rtpMin rtpMax]}. Runs until killed.
 */
public final class B2buaBenchMain {
    private B2buaBenchMain() {
    }

    public static void main(String[] args) throws Exception {
        int sipPort = Integer.parseInt(args[0]);
        int uasPort = Integer.parseInt(args[1]);
        int rtpMin = args.length > 2 ? Integer.parseInt(args[2]) : 20000;
        int rtpMax = args.length > 3 ? Integer.parseInt(args[3]) : 29999;
        EngineConfig config = EngineConfig.defaults().withBind("127.0.0.1", sipPort).withRtpPorts(rtpMin, rtpMax)
                .withTimeouts(Duration.ofSeconds(30), Duration.ZERO, Duration.ZERO)
                .withAuthThrottle(0, Duration.ofMinutes(1), Duration.ofMinutes(1));
        TelephonyEngine[] holder = new TelephonyEngine[1];
        Target uas = Target.Uri.udp("uas", "127.0.0.1", uasPort);
        CallHandler handler = new CallHandler() {
            @Override
            public void onIncomingCall(CallEvent.IncomingCall call) {
                holder[0].dial(call.channel(), DialRequest.to(new Target.Uri(call.callee().user(), "127.0.0.1", uasPort, "udp")));
            }
        };
        holder[0] = TelephonyEngine.start(config, (d, u) -> Optional.empty(), s -> InboundPolicy.Decision.TRUSTED, handler);
        System.out.println("READY " + sipPort + " -> " + uas);
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(holder[0]::close));
        new CountDownLatch(1).await();
    }
}
