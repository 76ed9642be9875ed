package dev.hotline.engine.sip;

import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.ChannelState;
import dev.hotline.engine.call.DtmfSource;
import dev.hotline.engine.call.Direction;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.engine.dtmf.SipInfoDtmf;
import dev.hotline.engine.sdp.ImageDescription;
import dev.hotline.engine.sdp.MediaDescription;
import dev.hotline.engine.sdp.MediaDirection;
import dev.hotline.engine.sdp.Sdp;
import dev.hotline.engine.sdp.SdpException;
import gov.nist.javax.sip.stack.SIPDialog;
import gov.nist.javax.sip.stack.SIPServerTransaction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One leg's SIP signalling (RFC 3261): its INVITE transaction, received (UAS) or sent (UAC), and its
 * dialog: provisional and final answers, CANCEL, ACK and BYE, re-INVITE and UPDATE (hold, session
 * refresh), and how the leg's end is signalled. Runs on the leg's call executor; a browser leg has none.
 */
final class LegSignalling {
    private static final Logger log = LoggerFactory.getLogger(LegSignalling.class);

    private final SipLeg leg;
    private final SipMessages msg;
    private final SessionTimers sessionTimers;

    // set at construction for an inbound leg, by inviting() for an outbound one
    private Dialog dialog;
    private final ServerTransaction inviteSt;
    private Request inviteRequest;
    private ClientTransaction inviteCt;
    private String callId;
    private String localTag;
    private final String remoteTag;
    private String transport;
    private boolean provisionalReceived;
    private boolean cancelPending;
    private boolean remoteEnded;
    private boolean challengeAnswered;
    /** A T.38 re-INVITE of our party waiting for the other leg's answer (MSG-5); null when none. */
    private PendingT38 relaying;
    /** A re-INVITE we sent for the other leg (T.38 offer, or back to audio) until its final answer; null when none. */
    private OutgoingReInvite outgoing;

    /** Our party's T.38 re-INVITE, answered once the other leg answered ours. */
    private record PendingT38(Request request, ServerTransaction st, ImageDescription offer) {
    }

    /**
     * Our re-INVITE: {@code from} is the leg whose T.38 offer it carries, null when it takes the leg back to audio;
     * {@code fax}: our own T.38 offer for this leg's fax terminal ({@link LegFax}).
     */
    private record OutgoingReInvite(long cseq, SipLeg from, boolean fax) {
    }


    LegSignalling(SipLeg leg, SipMessages msg, SessionTimers sessionTimers, SipLeg.InboundInvite invite) {
        this.leg = leg;
        this.msg = msg;
        this.sessionTimers = sessionTimers;
        this.inviteSt = invite == null ? null : invite.st();
        this.inviteRequest = invite == null ? null : invite.request();
        this.dialog = invite == null ? null : invite.dialog();
        this.callId = invite == null ? null : invite.callId();
        this.localTag = invite == null ? null : invite.localTag();
        this.remoteTag = invite == null ? null : invite.remoteTag();
        this.transport = invite == null ? "udp" : invite.transport();
    }

    /** Set when the {@link Dialer} sends the INVITE of this outbound leg (call executor). */
    void inviting(String callId, String localTag, String transport, Request invite, ClientTransaction ct, Dialog dialog) {
        this.callId = callId;
        this.localTag = localTag;
        this.transport = transport;
        this.inviteRequest = invite;
        this.inviteCt = ct;
        this.dialog = dialog;
    }

    Dialog dialog() {
        return dialog;
    }

    String transport() {
        return transport;
    }

    /**
     * Our Contact in this dialog: a {@code sips:} URI when it was set up over TLS towards a {@code sips:} Request-URI (the
     * caller's, or ours to a phone that registered one), so that the dialog stays SIPS (RFC 3261 §12.1.1 for our answers,
     * §8.1.1.8 for our requests; RFC 5630 §5.1.2: target refreshes too), else {@code sip:}.
     */
    ContactHeader ourContact() {
        boolean sips = "tls".equalsIgnoreCase(transport) && inviteRequest != null
                && inviteRequest.getRequestURI() instanceof SipURI u && u.isSecure();
        return msg.contact(transport, sips);
    }

    String callId() {
        return callId;
    }

    String localTag() {
        return localTag;
    }

    String remoteTag() {
        return remoteTag;
    }

    // ---------------------------------------------------------------- inbound INVITE (UAS)

    /** A provisional answer to the INVITE (RFC 3261 §13.3.1.1): 180, or 183 with early media. */
    void sendProvisional(int code, String sdpBody) {
        if (leg.direction != Direction.INBOUND || leg.state().isFinal() || leg.state() == ChannelState.UP) {
            return;
        }
        Response r = msg.response(code, inviteRequest, localTag);
        if (r == null) {
            return;
        }
        if (sdpBody != null) {
            msg.setSdp(r, sdpBody);
        }
        if (code != Response.TRYING) {
            r.addHeader(ourContact());
        }
        msg.send(inviteSt, r);
        ChannelState next = sdpBody != null ? ChannelState.EARLY_MEDIA : ChannelState.RINGING;
        if (leg.state() != next && leg.state().canMoveTo(next)) {
            leg.moveTo(next);
            leg.engine.emit(next == ChannelState.RINGING ? new CallEvent.ChannelRinging(leg.id, Instant.now())
                    : new CallEvent.ChannelProgress(leg.id, Instant.now()));
        }
    }

    /** Answers the inbound leg with our SDP for the codec already chosen (RFC 3264 §6). */
    void answerInbound() {
        Response r = msg.response(Response.OK, inviteRequest, localTag);
        if (r == null) {
            return;
        }
        r.addHeader(ourContact());
        msg.setSdp(r, leg.sdp().localAnswer());
        sessionTimers.onAnswer(leg.sessionTimer(), inviteRequest, r);
        msg.send(inviteSt, r);
        leg.moveTo(ChannelState.UP);
        leg.engine.emit(new CallEvent.ChannelAnswered(leg.id, Instant.now()));
    }

    void onCancel(RequestEvent e, ServerTransaction cancelSt) {
        msg.send(cancelSt, msg.response(Response.OK, e.getRequest(), null));
        if (leg.state().isFinal() || leg.state() == ChannelState.UP) {
            return;
        }
        leg.terminate(HangupCause.ORIGINATOR_CANCEL, Response.REQUEST_TERMINATED, true);
    }

    /**
     * An ACK for this leg's dialog (call executor). RFC 3261 §13.3.1.4: it stops the retransmissions of our 2xx.
     * JAIN-SIP writes the 2xx to the socket before it arms the dialog's retransmission timer, and records an ACK
     * only once that timer exists: an ACK quicker than that (tens of µs on a LAN) is passed up to us but
     * forgotten, and the 200 goes out again at T1. The 2xx was sent on this executor, so the timer is armed by
     * now: hand the ACK to the dialog again (a no-op when the stack already took it).
     */
    void onAck(ServerTransaction ack) {
        if (dialog instanceof SIPDialog d && ack instanceof SIPServerTransaction t && d.handleAck(t)) {
            log.debug("channel {}: ACK {} recorded after the stack missed it", leg.id, t.getCSeq());
        }
    }

    void onBye(RequestEvent e, ServerTransaction st) {
        msg.send(st, msg.response(Response.OK, e.getRequest(), null));
        remoteEnded = true;
        leg.terminate(HangupCause.NORMAL_CLEARING, 0, true);
    }

    /**
     * Re-INVITE: hold/resume or session refresh, answered locally (RFC 3264 §8, RFC 4028 §9); a T.38 offer is relayed
     * to the other leg ({@link #relayT38}); an audio offer while in T.38 takes both legs back to audio.
     */
    void onReInvite(RequestEvent e, ServerTransaction st) {
        Request req = e.getRequest();
        if (leg.state() != ChannelState.UP || relaying != null) {
            msg.send(st, msg.response(Response.REQUEST_PENDING, req, null)); // RFC 3261 §14.2
            return;
        }
        byte[] body = req.getRawContent();
        Optional<ImageDescription> fax = Sdp.t38(body);
        if (fax.isPresent() && leg.fax() != null) {
            acceptFax(req, st, fax.get());
            return;
        }
        if (fax.isPresent()) {
            relayT38(req, st, fax.get());
            return;
        }
        boolean leavingT38 = false;
        if (body != null && body.length > 0) {
            MediaDescription offer;
            try {
                offer = Sdp.parse(body);
                if (offer.firstSupported().isEmpty()) {
                    throw new SdpException("no common codec (PCMU, PCMA, G722 or opus required)");
                }
            } catch (SdpException ex) {
                msg.send(st, msg.notAcceptable(req, ex.getMessage()));
                return;
            }
            leavingT38 = leg.sdp().t38();
            if (leavingT38) {
                leg.sdp().stopT38();
            }
            leg.sdp().takeReOffer(offer);
        }
        Response r = msg.response(Response.OK, req, null);
        r.addHeader(ourContact());
        msg.setSdp(r, leg.sdp().localAnswer());
        sessionTimers.onRefresh(leg.sessionTimer(), req, r);
        msg.send(st, r);
        leg.holdChanged(leg.sdp().remote().isHold());
        SipLeg p = leg.partner();
        if (leavingT38 && p != null) {
            p.post(() -> p.sip().backToAudio());
        }
    }

    /**
     * Our party offers T.38 (ITU-T T.38 Annex D.2.3, RFC 3362): the other leg is asked with our own anchored port for it
     * ({@link #offerT38}), and our party gets its answer. Refused here (488) when the call is not a plain bridge of two
     * SIP legs: through a conference, a prompt, music, a tap, a browser or SRTP, the engine's media is on the path.
     */
    private void relayT38(Request req, ServerTransaction st, ImageDescription offer) {
        SipLeg p = leg.partner();
        String refusal = t38Refusal(p);
        if (refusal != null) {
            log.info("channel {}: T.38 re-INVITE refused: {}", leg.id, refusal);
            msg.send(st, msg.notAcceptable(req, refusal));
            return;
        }
        relaying = new PendingT38(req, st, offer);
        p.post(() -> p.sip().offerT38(leg, offer));
    }

    /** Our party offers T.38 to this leg's fax terminal: answered with our image stream, and the terminal starts. */
    private void acceptFax(Request req, ServerTransaction st, ImageDescription offer) {
        if (leg.media == null || leg.sdp().srtp() || leg.media.peer() != null) {
            msg.send(st, msg.notAcceptable(req, "T.38 only on a fax leg of its own"));
            return;
        }
        leg.sdp().startT38(offer, LegFax.T38_ATTRIBUTES, true);
        Response resp = msg.response(Response.OK, req, null);
        resp.addHeader(ourContact());
        msg.setSdp(resp, leg.sdp().localSdp(MediaDirection.SENDRECV));
        sessionTimers.onRefresh(leg.sessionTimer(), req, resp);
        msg.send(st, resp);
        leg.fax().t38Up();
    }

    /** Our own T.38 offer for this leg's fax terminal (T.38 Annex D.2.3); false when it could not be sent. */
    boolean offerFax() {
        if (outgoing != null) {
            return true; // an offer is on its way; its answer decides
        }
        return sendReInvite(leg.sdp().t38Offer(new ImageDescription("", 0, LegFax.T38_ATTRIBUTES)), null, true);
    }

    /** Why T.38 cannot be relayed to {@code p} now, null when it can. */
    private String t38Refusal(SipLeg p) {
        if (p == null || p.state() != ChannelState.UP || leg.media == null || p.media == null || leg.media.peer() != p.media) {
            return "T.38 only between two bridged phones; this call goes through the engine's own media";
        }
        if (p.webRtcKey() != null) {
            return "T.38 is not relayed to a browser";
        }
        if (leg.sdp().srtp() || p.sdp().srtp()) {
            return "T.38 is not relayed on an SRTP call";
        }
        if (leg.tap() != null || p.tap() != null) {
            return "T.38 is not relayed on a monitored call";
        }
        if (!leg.media.media().passThrough() || !p.media.media().passThrough()) {
            return "T.38 is not relayed while the engine plays, mixes or holds the call";
        }
        return null;
    }

    /** The other leg {@code from} asks for T.38 (call executor): our re-INVITE offers it to this leg's party. */
    void offerT38(SipLeg from, ImageDescription offer) {
        if (leg.state() != ChannelState.UP || outgoing != null) {
            from.post(() -> from.sip().t38Refused("the other party is busy with another offer"));
            return;
        }
        if (!sendReInvite(leg.sdp().t38Offer(offer), from)) {
            from.post(() -> from.sip().t38Refused("the other party cannot be asked"));
        }
    }

    /** The other leg went back to audio: our party is asked to as well, with this leg's codec (RFC 3264 §8). */
    void backToAudio() {
        if (leg.state() != ChannelState.UP || !leg.sdp().t38()) {
            return;
        }
        leg.sdp().stopT38();
        if (!sendReInvite(leg.sdp().audioReOffer(), null)) {
            leg.terminate(HangupCause.NORMAL_TEMPORARY_FAILURE, 0, true);
        }
    }

    private boolean sendReInvite(String sdpBody, SipLeg from) {
        return sendReInvite(sdpBody, from, false);
    }

    private boolean sendReInvite(String sdpBody, SipLeg from, boolean fax) {
        try {
            Request reinvite = dialog.createRequest(Request.INVITE);
            reinvite.setContent(sdpBody, msg.hf.createContentTypeHeader("application", "sdp"));
            reinvite.addHeader(ourContact());
            SipMessages.withBranch(reinvite);
            ClientTransaction ct = msg.provider.getNewClientTransaction(reinvite);
            ct.setApplicationData(leg);
            outgoing = new OutgoingReInvite(((CSeqHeader) reinvite.getHeader(CSeqHeader.NAME)).getSeqNumber(), from, fax);
            dialog.sendRequest(ct);
            return true;
        } catch (Exception ex) {
            outgoing = null;
            log.info("channel {}: re-INVITE not sent: {}", leg.id, ex.toString());
            return false;
        }
    }

    /** The other leg's party took T.38 (call executor): our party's re-INVITE is answered with our T.38 stream. */
    void t38Accepted(ImageDescription answer) {
        PendingT38 r = relaying;
        relaying = null;
        if (r == null || leg.state() != ChannelState.UP) {
            return;
        }
        leg.sdp().startT38(r.offer(), answer.attributes(), true);
        Response resp = msg.response(Response.OK, r.request(), null);
        resp.addHeader(ourContact());
        msg.setSdp(resp, leg.sdp().localSdp(MediaDirection.SENDRECV));
        sessionTimers.onRefresh(leg.sessionTimer(), r.request(), resp);
        msg.send(r.st(), resp);
        log.info("channel {}: T.38 relayed, UDPTL on port {}", leg.id, leg.media.localPort());
    }

    /** The other leg could not or would not take T.38: our party gets 488 and the call stays on audio. */
    void t38Refused(String why) {
        PendingT38 r = relaying;
        relaying = null;
        if (r == null || leg.state() != ChannelState.UP) {
            return;
        }
        log.info("channel {}: T.38 re-INVITE refused: {}", leg.id, why);
        msg.send(r.st(), msg.notAcceptable(r.request(), why));
    }

    /** SIP INFO inside the dialog: DTMF bodies become keys; anything else is just acknowledged. */
    void onInfo(RequestEvent e, ServerTransaction st) {
        Request req = e.getRequest();
        msg.send(st, msg.response(Response.OK, req, null));
        ContentTypeHeader ct = (ContentTypeHeader) req.getHeader(ContentTypeHeader.NAME);
        byte[] body = req.getRawContent();
        if (ct == null || body == null) {
            return;
        }
        String type = ct.getContentType() + "/" + ct.getContentSubType();
        SipInfoDtmf.parse(type, new String(body, StandardCharsets.UTF_8)).ifPresent(k -> {
            if (leg.media != null) {
                leg.media.media().keyPressed();
            }
            leg.onDigit(k.digit(), DtmfSource.SIP_INFO);
        });
    }

    /** UPDATE (RFC 3311) without SDP: only a session refresh here. */
    void onUpdate(RequestEvent e, ServerTransaction st) {
        Response r = msg.response(Response.OK, e.getRequest(), null);
        sessionTimers.onRefresh(leg.sessionTimer(), e.getRequest(), r);
        msg.send(st, r);
    }

    // ---------------------------------------------------------------- outbound INVITE (UAC)

    void onResponse(ResponseEvent e) {
        Response resp = e.getResponse();
        CSeqHeader cseq = (CSeqHeader) resp.getHeader(CSeqHeader.NAME);
        String method = cseq.getMethod();
        int status = resp.getStatusCode();
        if (!Request.INVITE.equals(method)) {
            return; // BYE, CANCEL, NOTIFY answers need nothing more
        }
        if (leg.direction == Direction.INBOUND || leg.state() == ChannelState.UP) {
            onReInviteResponse(e, status, cseq);
            return;
        }
        if (status < 200) {
            if (status == Response.TRYING) {
                return;
            }
            provisionalReceived = true;
            if (cancelPending) {
                sendCancel();
                return;
            }
            if (leg.state().isFinal()) {
                return;
            }
            byte[] body = resp.getRawContent();
            boolean early = body != null && body.length > 0 && leg.sdp().takeAnswer(body);
            ChannelState next = early ? ChannelState.EARLY_MEDIA : ChannelState.RINGING;
            if (leg.state() != next && leg.state().canMoveTo(next)) {
                leg.moveTo(next);
                leg.engine.emit(next == ChannelState.RINGING ? new CallEvent.ChannelRinging(leg.id, Instant.now())
                        : new CallEvent.ChannelProgress(leg.id, Instant.now()));
            }
            SipLeg p = leg.partner();
            if (p != null) {
                p.post(() -> p.onPartnerProgress(leg, status, early));
            }
            return;
        }
        if (status < 300) {
            Dialog d = e.getDialog() != null ? e.getDialog() : dialog;
            dialog = d;
            msg.ack(d, cseq.getSeqNumber());
            if (leg.state().isFinal()) {
                msg.bye(d); // answered after we gave up: RFC 3261 §9.1 race
                return;
            }
            byte[] body = resp.getRawContent();
            if (body == null || body.length == 0 || !leg.sdp().takeAnswer(body)) {
                msg.bye(d);
                leg.terminateSilently(HangupCause.INCOMPATIBLE_DESTINATION, Response.NOT_ACCEPTABLE_HERE);
                return;
            }
            sessionTimers.onOutboundAnswer(leg.sessionTimer(), resp);
            leg.moveTo(ChannelState.UP);
            leg.engine.emit(new CallEvent.ChannelAnswered(leg.id, Instant.now()));
            SipLeg p = leg.partner();
            if (p == null) {
                return;
            }
            p.post(() -> p.onPartnerAnswered(leg));
            return;
        }
        // Final failure: JAIN-SIP sends the ACK for non-2xx (RFC 3261 §17.1.1.3).
        if (leg.state().isFinal()) {
            return;
        }
        if ((status == Response.UNAUTHORIZED || status == Response.PROXY_AUTHENTICATION_REQUIRED) && answerChallenge(e)) {
            return;
        }
        remoteEnded = true;
        leg.terminate(HangupCause.fromSipStatus(status), status, true);
    }

    /**
     * A trunk's carrier challenged our INVITE (RFC 3261 §8.1.3.5, §22.2): it is sent again with the trunk account's
     * digest credentials, CSeq + 1, same Call-ID and From tag, as a new transaction and dialog. Once per leg: a second
     * challenge means the credentials are wrong, and the leg fails with it (no loop). False when not answered.
     */
    private boolean answerChallenge(ResponseEvent e) {
        if (challengeAnswered || cancelPending || CarrierChallenges.account(leg) == null) {
            return false;
        }
        challengeAnswered = true;
        try {
            ClientTransaction retry = leg.engine.carrierChallenges().retry(e.getResponse(), e.getClientTransaction(), 0);
            retry.setApplicationData(leg);
            Dialog d = retry.getDialog() != null ? retry.getDialog() : msg.provider.getNewDialog(retry);
            d.setApplicationData(leg);
            inviteCt = retry;
            inviteRequest = retry.getRequest();
            dialog = d;
            provisionalReceived = false;
            retry.sendRequest();
            log.info("channel {}: INVITE challenged {} by the carrier, sent again with credentials", leg.id, e.getResponse().getStatusCode());
            return true;
        } catch (Exception ex) {
            log.warn("channel {}: cannot answer the carrier's challenge: {}", leg.id, ex.toString());
            return false;
        }
    }

    private void onReInviteResponse(ResponseEvent e, int status, CSeqHeader cseq) {
        OutgoingReInvite out = outgoing;
        boolean ours = out != null && status >= 200 && cseq.getSeqNumber() == out.cseq();
        if (ours) {
            outgoing = null;
        }
        if (status >= 200 && status < 300) {
            Dialog d = e.getDialog() != null ? e.getDialog() : dialog;
            msg.ack(d, cseq.getSeqNumber());
            if (ours) {
                reInviteAnswered(out, e.getResponse().getRawContent());
            }
            return;
        }
        if (ours && out.fax() && leg.fax() != null) {
            if (status == Response.REQUEST_PENDING) {
                leg.fax().glare();
            } else {
                leg.fax().fail("the party refused T.38 (" + status + ")");
            }
        }
        if (ours && out.from() != null) {
            SipLeg from = out.from();
            from.post(() -> from.sip().t38Refused("the other party refused T.38 (" + status + ")"));
        }
        if (status == Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST || status == Response.REQUEST_TIMEOUT) {
            // RFC 4028 §10: a failed refresh ends the session.
            remoteEnded = status == Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST;
            leg.terminate(HangupCause.SESSION_TIMEOUT, 0, true);
        }
    }

    /** The 2xx of our re-INVITE for the other leg: T.38 taken (both legs relay UDPTL), or back on audio. */
    private void reInviteAnswered(OutgoingReInvite out, byte[] body) {
        if (out.fax()) {
            Optional<ImageDescription> image = Sdp.t38(body);
            LegFax fax = leg.fax();
            if (image.isPresent() && fax != null) {
                leg.sdp().startT38(image.get(), LegFax.T38_ATTRIBUTES, false);
                fax.t38Up();
            } else if (fax != null) {
                fax.fail("the party answered our T.38 offer without T.38");
            }
            return;
        }
        SipLeg from = out.from();
        Optional<ImageDescription> image = from == null ? Optional.empty() : Sdp.t38(body);
        if (image.isPresent()) {
            leg.sdp().startT38(image.get(), image.get().attributes(), false);
            from.post(() -> from.sip().t38Accepted(image.get()));
            return;
        }
        if (body == null || body.length == 0 || !leg.sdp().takeAnswer(body)) {
            log.info("channel {}: no usable SDP in the answer to our re-INVITE", leg.id);
        }
        if (from != null) {
            from.post(() -> from.sip().t38Refused("the other party answered without T.38"));
        }
    }

    void onTimeout() {
        if (leg.state().isFinal()) {
            return;
        }
        remoteEnded = true;
        leg.terminate(HangupCause.NO_USER_RESPONSE, Response.REQUEST_TIMEOUT, true);
    }

    private void sendCancel() {
        cancelPending = false;
        msg.cancel(inviteCt);
    }

    /** The remote side ended the leg (BYE, final failure, ...): nothing more is to be sent for it. */
    void remoteEnded() {
        remoteEnded = true;
    }

    /** The leg ends ({@code before} its final state): final response, CANCEL or BYE as that state requires. */
    void end(ChannelState before, HangupCause why, int status) {
        if (remoteEnded) {
            return;
        }
        if (before == ChannelState.UP) {
            msg.bye(dialog);
        } else if (leg.direction == Direction.INBOUND) {
            int code = status >= 300 ? status : why.sipStatus();
            msg.send(inviteSt, msg.response(code, inviteRequest, localTag));
        } else if (provisionalReceived) {
            sendCancel();
        } else {
            cancelPending = true; // RFC 3261 §9.1: CANCEL only after a provisional response
        }
    }
}
