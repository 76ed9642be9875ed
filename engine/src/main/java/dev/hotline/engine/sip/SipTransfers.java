package dev.hotline.engine.sip;

import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.CallParty;
import dev.hotline.engine.call.ChannelState;
import dev.hotline.engine.call.DialRequest;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.engine.call.Transfer;
import dev.hotline.engine.rtp.RtpEndpoint;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sip.ClientTransaction;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.address.SipURI;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.ReferToHeader;
import javax.sip.header.SubscriptionStateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Call transfer asked by a party (RFC 3515 REFER, RFC 3891 Replaces): the REFER is accepted, handed to
 * the server as {@link CallEvent.TransferRequested} with a {@link Transfer} to carry it out, and its
 * outcome reported back to the referrer by NOTIFY. Methods taking a leg run on its call executor.
 */
final class SipTransfers {
    private static final Logger log = LoggerFactory.getLogger(SipTransfers.class);

    private final SipEngine engine;
    private final SipMessages msg;

    SipTransfers(SipEngine engine, SipMessages msg) {
        this.engine = engine;
        this.msg = msg;
    }

    /** A REFER in the dialog of {@code leg}, whose partner is to be transferred. */
    void onRefer(SipLeg leg, RequestEvent e, ServerTransaction st) {
        Request req = e.getRequest();
        ReferToHeader referTo = (ReferToHeader) req.getHeader(ReferToHeader.NAME);
        if (referTo == null) {
            msg.send(st, msg.response(Response.BAD_REQUEST, req, null, "Missing Refer-To"));
            return;
        }
        SipLeg peer = leg.partner();
        if (leg.state() != ChannelState.UP || peer == null || peer.isFinal()) {
            msg.send(st, msg.response(Response.FORBIDDEN, req, null, "Nothing to transfer"));
            return;
        }
        String user = "";
        String host = "";
        Optional<SipLeg> replaces = Optional.empty();
        if (referTo.getAddress().getURI() instanceof SipURI uri) {
            user = uri.getUser() == null ? "" : uri.getUser();
            host = uri.getHost();
            String rep = uri.getHeader("Replaces");
            if (rep != null) {
                // RFC 3891 §6.1: callid;to-tag=...;from-tag=... (to-tag is our tag on the replaced dialog)
                String[] parts = URLDecoder.decode(rep, StandardCharsets.UTF_8).split(";");
                String toTag = null;
                for (String p : parts) {
                    if (p.startsWith("to-tag=")) {
                        toTag = p.substring(7);
                    }
                }
                replaces = engine.legs().findDialog(parts[0], toTag);
                if (replaces.isEmpty()) {
                    msg.send(st, msg.response(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, req, null));
                    return;
                }
            }
        }
        msg.send(st, msg.response(Response.ACCEPTED, req, null));
        sendReferNotify(leg, "SIP/2.0 100 Trying", false);
        SipLeg replaced = replaces.orElse(null);
        Transfer t = new TransferHandle(leg, peer, replaced);
        engine.emit(new CallEvent.TransferRequested(leg.id, peer.id, new CallParty(user, host, ""),
                replaces.map(SipLeg::id), t, Instant.now()));
    }

    /** The transfer {@code referrer} asked for ended with {@code status}: NOTIFY, and on success the referrer leaves. */
    void finish(SipLeg referrer, int status) {
        engine.emit(new CallEvent.TransferCompleted(referrer.id, status, Instant.now()));
        if (referrer.isFinal()) {
            return;
        }
        String reason = status == 200 ? "OK" : "Failed";
        sendReferNotify(referrer, "SIP/2.0 " + status + " " + reason, true);
        if (status == 200) {
            referrer.terminate(HangupCause.TRANSFERRED, 0, false);
        }
    }

    /** RFC 3515 §2.4.5: NOTIFY with a message/sipfrag body on the REFER's implicit subscription. */
    private void sendReferNotify(SipLeg leg, String sipfrag, boolean terminated) {
        try {
            Request n = leg.sip().dialog().createRequest(Request.NOTIFY);
            n.addHeader(msg.hf.createEventHeader("refer"));
            SubscriptionStateHeader ss = msg.hf.createSubscriptionStateHeader(
                    terminated ? SubscriptionStateHeader.TERMINATED : SubscriptionStateHeader.ACTIVE);
            if (terminated) {
                ss.setReasonCode("noresource");
            } else {
                ss.setExpires(60);
            }
            n.addHeader(ss);
            ContentTypeHeader ct = msg.hf.createContentTypeHeader("message", "sipfrag");
            ct.setParameter("version", "2.0");
            n.setContent(sipfrag + "\r\n", ct);
            SipMessages.withBranch(n);
            ClientTransaction tx = msg.provider.getNewClientTransaction(n);
            tx.setApplicationData(leg);
            leg.sip().dialog().sendRequest(tx);
        } catch (Exception ex) {
            log.info("channel {}: NOTIFY failed: {}", leg.id, ex.toString());
        }
    }

    private final class TransferHandle implements Transfer {
        private final SipLeg referrer;
        private final SipLeg transferee;
        private final SipLeg replaced;
        private final AtomicBoolean used = new AtomicBoolean();

        TransferHandle(SipLeg referrer, SipLeg transferee, SipLeg replaced) {
            this.referrer = referrer;
            this.transferee = transferee;
            this.replaced = replaced;
        }

        private void once() {
            if (!used.compareAndSet(false, true)) {
                throw new IllegalStateException("transfer already answered");
            }
        }

        @Override
        public void accept(DialRequest request) {
            once();
            referrer.post(() -> {
                if (referrer.partner() != transferee || transferee.isFinal()) {
                    finish(referrer, 481);
                    return;
                }
                referrer.unlinkPartner();
                transferee.post(() -> {
                    transferee.forgetPartner();
                    SipLeg c = engine.dialer().dialFor(transferee, request);
                    c.transferFrom(referrer);
                });
            });
        }

        @Override
        public void acceptReplaces() {
            once();
            if (replaced == null) {
                throw new IllegalStateException("not an attended transfer");
            }
            referrer.post(() -> {
                if (referrer.partner() != transferee || transferee.isFinal()) {
                    finish(referrer, 481);
                    return;
                }
                referrer.unlinkPartner();
                replaced.post(() -> {
                    SipLeg target = replaced.partner();
                    if (target == null || target.isFinal() || replaced.isFinal()) {
                        referrer.post(() -> finish(referrer, 481));
                        return;
                    }
                    replaced.unlinkPartner();
                    replaced.terminate(HangupCause.TRANSFERRED, 0, false);
                    target.partnerWith(transferee);
                    transferee.partnerWith(target);
                    RtpEndpoint.link(transferee.media, target.media);
                    engine.emit(new CallEvent.ChannelBridged(transferee.id, target.id, Instant.now()));
                    referrer.post(() -> finish(referrer, 200));
                });
            });
        }

        @Override
        public void keep() {
            once();
            referrer.post(() -> {
                if (referrer.partner() != transferee || transferee.isFinal()) {
                    finish(referrer, 481);
                    return;
                }
                referrer.unlinkPartner();
                // as SipBridge.unbridge: both are answered legs without a peer now, decoded by the media clock (prompts, music)
                referrer.media.media().markAnswered();
                transferee.media.media().markAnswered();
                transferee.post(() -> {
                    transferee.forgetPartner();
                    engine.emit(new CallEvent.ChannelUnbridged(transferee.id, referrer.id, Instant.now()));
                });
                engine.emit(new CallEvent.TransferCompleted(referrer.id, 200, Instant.now()));
                sendReferNotify(referrer, "SIP/2.0 200 OK", true);
            });
        }

        @Override
        public void reject() {
            once();
            referrer.post(() -> finish(referrer, 603));
        }
    }
}
