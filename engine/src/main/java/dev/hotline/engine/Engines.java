package dev.hotline.engine;

import dev.hotline.engine.call.CallHandler;
import dev.hotline.engine.call.EngineConfig;
import dev.hotline.engine.call.InboundPolicy;
import dev.hotline.engine.call.SipAccountDirectory;
import dev.hotline.engine.call.TelephonyEngine;
import dev.hotline.engine.sip.SipEngine;
import java.io.IOException;

/**
 * The engine's entry point: starts the SIP implementation of {@link TelephonyEngine}. It lives
 * outside the API package {@code call} so that the API does not depend on the implementation.
 */
public final class Engines {
    private Engines() {
    }

    /** Starts the engine with a config and the three server-provided hooks. */
    public static TelephonyEngine start(EngineConfig config, SipAccountDirectory accounts, InboundPolicy policy,
                                        CallHandler handler) throws IOException {
        return SipEngine.start(config, accounts, policy, handler);
    }
}
