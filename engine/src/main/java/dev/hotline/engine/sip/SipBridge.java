package dev.hotline.engine.sip;

import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.ChannelState;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.engine.call.PeerHangup;
import dev.hotline.engine.rtp.RtpEndpoint;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bridging and unbridging two existing legs that may belong to different calls, hence to different
 * serial executors. No executor ever waits for another: each step runs on the executor of the leg
 * whose fields it changes and hands over to the other by posting.
 *
 * <p>Bridge {@code a} with {@code b} in three steps:
 * <ol>
 *   <li>on {@code a}: {@code a} is answered and free; {@code a.reserveBridge(b)} (a reservation that
 *       keeps other bridges away; {@code a.partner()} stays null, so a hang-up of {@code a} now does
 *       not reach {@code b});</li>
 *   <li>on {@code b}: {@code b} is answered and free; {@code b.partnerWith(a)};</li>
 *   <li>on {@code a}: both still live: playback, music on hold and digit collection stop on both,
 *       media linked, {@code a.partnerWith(b)}, {@link CallEvent.ChannelBridged}.</li>
 * </ol>
 * A leg that ends between the steps makes the bridge give up without linking anything: when
 * {@code a} ends before step 3 its end did not cascade (no partner yet), so step 3 clears
 * {@code b.partner()} again; when {@code b} ends after step 2, its cascade to {@code a} is queued
 * after step 3 (both posted from {@code b}'s executor), finds {@code a.partner() != b} and does nothing.
 * Once step 3 is done the two legs are exactly a dialled pair: {@link SipLeg#onPartnerEnded}
 * ends one when the other ends, except that with {@link PeerHangup#STAY} {@code a} outlives {@code b}.
 */
final class SipBridge {
    private static final Logger log = LoggerFactory.getLogger(SipBridge.class);

    private SipBridge() {
    }

    /** Checks (throws on misuse) and starts bridging; the rest happens on the legs' executors. */
    static void bridge(SipLeg a, SipLeg b, PeerHangup aOnHangupOfB) {
        if (a == b) {
            throw new IllegalArgumentException("cannot bridge channel " + a.id + " with itself");
        }
        a.checkBridgeable(b);
        b.checkBridgeable(a);
        a.post(() -> reserve(a, b, aOnHangupOfB));
    }

    /** Step 1, on {@code a}'s executor. */
    private static void reserve(SipLeg a, SipLeg b, PeerHangup aOnHangupOfB) {
        if (!free(a)) {
            log.info("bridge {} - {} not made: {} is {}", a.id, b.id, a.id, why(a));
            return;
        }
        a.reserveBridge(b);
        b.post(() -> accept(a, b, aOnHangupOfB));
    }

    /** Step 2, on {@code b}'s executor. */
    private static void accept(SipLeg a, SipLeg b, PeerHangup aOnHangupOfB) {
        if (!free(b) || a.isFinal()) {
            log.info("bridge {} - {} not made: {}", a.id, b.id, a.isFinal() ? a.id + " ended" : b.id + " is " + why(b));
            a.post(() -> {
                a.releaseBridge(b);
            });
            return;
        }
        b.partnerWith(a);
        a.post(() -> commit(a, b, aOnHangupOfB));
    }

    /** Step 3, on {@code a}'s executor. */
    private static void commit(SipLeg a, SipLeg b, PeerHangup aOnHangupOfB) {
        a.releaseBridge(b);
        if (a.isFinal() || b.isFinal() || a.partner() != null || b.partner() != a) {
            log.info("bridge {} - {} not made: a leg ended or was taken meanwhile", a.id, b.id);
            b.post(() -> {
                if (b.partner() == a) {
                    b.forgetPartner();
                }
            });
            return;
        }
        a.stopGenerating();
        a.cancelDigitCollection();
        b.stopGenerating();
        b.post(b::cancelDigitCollection);
        RtpEndpoint.link(a.media, b.media);
        a.staysAfter(aOnHangupOfB == PeerHangup.STAY ? b : null);
        // Published last: an unbridge of b (on b's executor) acts only once a.partner() == b, and then sees the link.
        a.partnerWith(b);
        a.engine.emit(new CallEvent.ChannelBridged(a.id, b.id, Instant.now()));
    }

    /**
     * True when {@code leg} is answered, not ending and has no peer and no bridge in progress; on the
     * leg's executor. A partner that has ended but whose end the leg has not yet taken (its
     * {@link SipLeg#onPartnerEnded} is still queued, e.g. a failed dial whose hang-up event the server
     * answers with this bridge) is taken now, exactly as the queued call would: the leg follows it or
     * stays, and the queued call then finds nothing to do.
     */
    private static boolean free(SipLeg leg) {
        SipLeg p = leg.partner();
        if (p != null && p.isFinal() && !leg.isFinal()) {
            leg.onPartnerEnded(p, p.cause() != null ? p.cause() : HangupCause.NORMAL_CLEARING, p.endStatus());
        }
        return leg.state() == ChannelState.UP && leg.partner() == null && leg.bridging() == null && leg.media != null;
    }

    private static String why(SipLeg leg) {
        if (leg.state() != ChannelState.UP) {
            return leg.state().toString();
        }
        SipLeg p = leg.partner();
        SipLeg q = leg.bridging();
        return p != null ? "with " + p.id : q != null ? "being bridged with " + q.id : "without media";
    }

    /**
     * Splits the bridge {@code a} is in; both legs stay up. A bridge counts once both partner fields
     * point at each other: not while a dial still rings (hang the dialled leg up instead), nor while a
     * {@link #bridge} is between its steps (the server waits for {@link CallEvent.ChannelBridged}).
     */
    static void unbridge(SipLeg a) {
        a.post(() -> {
            SipLeg b = a.partner();
            if (a.state() != ChannelState.UP || b == null || b.state() != ChannelState.UP || b.partner() != a) {
                return;
            }
            a.forgetPartner();
            stopTap(a);
            stopTap(b);
            a.media.unlink(); // both directions; each leg is woken on the media clock
            // The clock decodes an answered leg without a peer (IVR prompts, in-band DTMF); a dialled
            // outbound leg was never marked so, as it was bridged from its answer on.
            a.media.media().markAnswered();
            b.media.media().markAnswered();
            // The event goes out once both legs have forgotten each other: whoever hears it may bridge either at once.
            b.post(() -> {
                if (b.partner() == a) {
                    b.forgetPartner();
                }
                a.engine.emit(new CallEvent.ChannelUnbridged(a.id, b.id, Instant.now()));
            });
        });
    }

    private static void stopTap(SipLeg leg) {
        SipTap t = leg.tap();
        if (t != null) {
            leg.tappedBy(null);
            t.stop();
        }
    }
}
