package dev.hotline.engine.call;

import java.time.Duration;

/**
 * What the server asks for when it dials an outbound leg for an inbound channel.
 *
 * @param target                 where to call
 * @param callerId               From identity on the outbound leg; null keeps the inbound caller's user
 * @param timeout                no-answer timeout (CANCEL after it); null uses the engine default
 * @param failInboundOnFailure   when the outbound leg fails, end the inbound leg with the same status;
 *                               false lets the server try another target
 */
public record DialRequest(Target target, CallerId callerId, Duration timeout, boolean failInboundOnFailure) {
    public DialRequest {
        if (target == null) {
            throw new IllegalArgumentException("target is required");
        }
    }

    public static DialRequest to(Target target) {
        return new DialRequest(target, null, null, true);
    }

    public DialRequest withCallerId(CallerId id) {
        return new DialRequest(target, id, timeout, failInboundOnFailure);
    }

    public DialRequest withTimeout(Duration t) {
        return new DialRequest(target, callerId, t, failInboundOnFailure);
    }

    public DialRequest keepInboundOnFailure() {
        return new DialRequest(target, callerId, timeout, false);
    }
}
