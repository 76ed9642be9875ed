package dev.hotline.engine.sip;

import dev.hotline.engine.call.ChannelState;
import dev.hotline.engine.fax.FaxDocument;
import dev.hotline.engine.fax.FaxResult;
import dev.hotline.engine.fax.FaxTerminal;
import dev.hotline.engine.fax.FaxTimers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A T.38 fax terminal on one SIP leg that is not bridged (MSG-5): the leg moves to T.38 (T.38 Annex D.2.3, RFC 3362),
 * by the party's re-INVITE or by ours, then its UDPTL datagrams go to and come from a {@link FaxTerminal}. A receiving
 * leg offers T.38 as soon as it is answered; a sending one gives the party {@link #OWN_OFFER_AFTER} to offer first (a
 * fax gateway usually does) and then offers itself. Call executor, except the terminal's own thread.
 */
final class LegFax {
    private static final Logger log = LoggerFactory.getLogger(LegFax.class);
    /** What we announce for our image stream (T.38 Annex D.2.3 attributes). */
    static final List<String> T38_ATTRIBUTES = List.of("T38FaxVersion:0", "T38MaxBitRate:14400",
            "T38FaxRateManagement:transferredTCF", "T38FaxMaxBuffer:2000", "T38FaxMaxDatagram:400",
            "T38FaxUdpEC:t38UDPRedundancy");
    static final Duration OWN_OFFER_AFTER = Duration.ofSeconds(2);
    /** After a 491 (re-INVITE glare, RFC 3261 §14.1) we offer again once, after this. */
    private static final Duration GLARE_RETRY = Duration.ofMillis(1500);

    private final SipLeg leg;
    private final FaxDocument document;
    private final String ident;
    private final FaxTimers timers;
    final CompletableFuture<FaxResult> result = new CompletableFuture<>();
    private FaxTerminal terminal;
    private boolean begun;
    private boolean retried;

    LegFax(SipLeg leg, FaxDocument document, String ident, FaxTimers timers) {
        this.leg = leg;
        this.document = document;
        this.ident = ident;
        this.timers = timers;
    }

    boolean sending() {
        return document != null;
    }

    /** The leg is up (call executor): the T.38 offer, now or after the party's turn. */
    void begin() {
        if (begun || result.isDone()) {
            return;
        }
        begun = true;
        if (leg.sdp().t38()) {
            t38Up();
        } else if (sending()) {
            leg.engine.schedule(() -> leg.post(this::offer), OWN_OFFER_AFTER);
        } else {
            offer();
        }
    }

    private void offer() {
        if (terminal != null || result.isDone() || leg.state() != ChannelState.UP || leg.sdp().t38()) {
            return;
        }
        if (!leg.sip().offerFax()) {
            fail("the T.38 re-INVITE could not be sent");
        }
    }

    /** Our T.38 re-INVITE met another one (491): once more after a pause, unless the party's own made it. */
    void glare() {
        if (retried) {
            fail("the party answered 491 to our T.38 re-INVITE twice");
            return;
        }
        retried = true;
        leg.engine.schedule(() -> leg.post(this::offer), GLARE_RETRY);
    }

    /** The leg carries UDPTL now (call executor): the terminal starts. */
    void t38Up() {
        if (terminal != null || result.isDone()) {
            return;
        }
        log.info("channel {}: fax {} over T.38, UDPTL on port {}", leg.id, sending() ? "send" : "receive",
                leg.media.localPort());
        FaxTerminal.Transport out = leg.media::sendUdptl;
        terminal = sending()
                ? FaxTerminal.sender(document, ident, out, result::complete, timers)
                : FaxTerminal.receiver(ident, out, result::complete, timers);
        leg.media.udptlTerminal(terminal::datagram);
        terminal.start();
    }

    /** The party would not take T.38, or the leg ended: the session fails. */
    void fail(String why) {
        if (terminal != null) {
            terminal.cancel(why);
        } else {
            result.complete(FaxResult.failure(0, null, why, null));
        }
    }
}
