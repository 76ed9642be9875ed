package dev.hotline.engine.sip;

import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.CallHandler;
import dev.hotline.engine.call.CallParty;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.engine.call.InboundPolicy;
import dev.hotline.engine.call.SipAccount;
import dev.hotline.engine.call.SrtpMode;
import dev.hotline.engine.call.TrunkRegistration;
import dev.hotline.engine.rtp.MediaRelay;
import dev.hotline.engine.rtp.RtpEndpoint;
import dev.hotline.engine.sdp.MediaDescription;
import dev.hotline.engine.sdp.SdesCrypto;
import dev.hotline.engine.sdp.Sdp;
import dev.hotline.engine.sdp.SdpException;
import gov.nist.javax.sip.RequestEventExt;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import javax.sip.Dialog;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.address.SipURI;
import javax.sip.header.AcceptHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits a new inbound call (RFC 3261 §13.3): checks the SDP offer, asks the server's
 * {@link InboundPolicy} (and digest authentication when it says so), enforces the RFC 4028 minimum
 * interval, anchors the media on a port, files the new inbound leg and hands it to the {@link CallHandler}.
 */
final class InboundInvites {
    private static final Logger log = LoggerFactory.getLogger(InboundInvites.class);

    private final SipEngine engine;
    private final InboundPolicy policy;
    private final CallHandler handler;
    private final SipAuth auth;
    private final SessionTimers sessionTimers;
    private final SipMessages msg;
    private final MediaRelay relay;
    private final ExecutorService callPool;
    private final LegTable legs;

    InboundInvites(SipEngine engine, InboundPolicy policy, CallHandler handler, SipAuth auth, SessionTimers sessionTimers,
                   SipMessages msg, MediaRelay relay, ExecutorService callPool, LegTable legs) {
        this.engine = engine;
        this.policy = policy;
        this.handler = handler;
        this.auth = auth;
        this.sessionTimers = sessionTimers;
        this.msg = msg;
        this.relay = relay;
        this.callPool = callPool;
        this.legs = legs;
    }

    /** A new INVITE (outside any dialog) with its server transaction, from {@code ip}. */
    void onInvite(RequestEvent e, ServerTransaction st, String ip) throws Exception {
        Request req = e.getRequest();
        // RFC 3261 §8.2.6.1: stop INVITE retransmissions right away.
        msg.send(st, msg.response(Response.TRYING, req, null));
        if (!(req.getRequestURI() instanceof SipURI ruri)) {
            msg.send(st, msg.response(Response.UNSUPPORTED_URI_SCHEME, req, null));
            return;
        }
        ContentTypeHeader type = (ContentTypeHeader) req.getHeader(ContentTypeHeader.NAME);
        if (type != null && req.getRawContent() != null && req.getRawContent().length > 0
                && !("application".equalsIgnoreCase(type.getContentType()) && "sdp".equalsIgnoreCase(type.getContentSubType()))) {
            // RFC 3261 §8.2.3: a body of a type we cannot read gets 415 and what we accept
            Response r = msg.response(Response.UNSUPPORTED_MEDIA_TYPE, req, null);
            r.addHeader(msg.hf.createAcceptHeader("application", "sdp"));
            msg.send(st, r);
            return;
        }
        if (!SipMessages.accepts(req, "application", "sdp")) {
            // RFC 3261 §21.4.7: our answer is SDP, and the Accept header rules it out
            msg.send(st, msg.notAcceptable(req, Response.NOT_ACCEPTABLE, "the answer is application/sdp"));
            return;
        }
        MediaDescription offer;
        try {
            offer = Sdp.parse(req.getRawContent());
            if (offer.firstSupported().isEmpty()) {
                throw new SdpException("no common codec (PCMU, PCMA, G722 or opus required)");
            }
        } catch (SdpException ex) {
            msg.send(st, msg.notAcceptable(req, ex.getMessage()));
            return;
        }
        FromHeader from = (FromHeader) req.getHeader(FromHeader.NAME);
        ToHeader to = (ToHeader) req.getHeader(ToHeader.NAME);
        String fromUser = from.getAddress().getURI() instanceof SipURI f ? f.getUser() : null;
        String fromHost = from.getAddress().getURI() instanceof SipURI f ? f.getHost() : "";
        String toUser = ruri.getUser() != null ? ruri.getUser()
                : to.getAddress().getURI() instanceof SipURI t ? t.getUser() : null;
        String domain = msg.domainOf(ruri.getHost());
        // the transport the INVITE really came over (a datagram's Via can claim TLS): SDES keys, flows and SEC-4 go by it
        String transport = SipsScheme.receivedOver(req);
        int port = ((RequestEventExt) e).getRemotePort();
        InetSocketAddress source = new InetSocketAddress(ip, port);
        // SEC-4: on a registering trunk's own TCP/TLS connection to its carrier
        Optional<TrunkRegistration> registration = engine.trunkRegistrations().registeredOver(transport, source);
        Optional<String> trunkRegistration = registration.map(TrunkRegistration::key);
        if (registration.isPresent() && registration.get().username().equals(toUser)
                && to.getAddress().getURI() instanceof SipURI t && t.getUser() != null) {
            // The carrier addressed the Contact the trunk registered (its user is the trunk's account name, RFC 3261
            // §10.2.1) and names the number called in To, as carriers do: that number is the one dialled.
            toUser = t.getUser();
        }
        InboundPolicy.InviteSource origin = new InboundPolicy.InviteSource(source, transport, domain, fromUser,
                msg.domainOf(fromHost), toUser, trunkRegistration);
        InboundPolicy.Decision decision = policy.admit(origin);
        Optional<String> accountKey = Optional.empty();
        switch (decision) {
            case REJECT -> {
                msg.send(st, msg.response(Response.FORBIDDEN, req, null));
                return;
            }
            case AUTHENTICATE -> {
                Optional<SipAccount> acct = auth.authenticate(e, st, ip, domain, fromUser, true);
                if (acct.isEmpty()) {
                    return;
                }
                accountKey = Optional.of(acct.get().accountKey());
            }
            case TRUSTED -> {
            }
        }
        SdesCrypto srtpKey;
        try {
            srtpKey = srtpOf(offer, transport, policy.srtp(origin));
        } catch (SdpException ex) {
            msg.send(st, msg.notAcceptable(req, ex.getMessage()));
            return;
        }
        if (sessionTimers.refusedTooSmall(req, st)) {
            return; // RFC 4028 §8.1: 422 Session Interval Too Small
        }
        RtpEndpoint ep;
        try {
            ep = relay.allocate();
        } catch (IOException ex) {
            log.warn("no media port for INVITE from {}: {}", ip, ex.getMessage());
            msg.send(st, msg.response(Response.SERVICE_UNAVAILABLE, req, null));
            return;
        }
        ep.setRemote(offer.address(), offer.port(), offer.rtcpPort(), offer.rtcpMux());
        String callId = ((CallIdHeader) req.getHeader(CallIdHeader.NAME)).getCallId();
        CallParty caller = new CallParty(fromUser, fromHost, from.getAddress().getDisplayName());
        CallParty callee = new CallParty(toUser, domain, "");
        Dialog dialog;
        try {
            dialog = msg.provider.getNewDialog(st);
        } catch (Exception ex) {
            ep.close();
            msg.send(st, msg.response(Response.SERVER_INTERNAL_ERROR, req, null));
            return;
        }
        SipLeg leg = SipLeg.inbound(engine, engine.newId(), new SerialExecutor(callPool), caller, callee, ep,
                new SipLeg.InboundInvite(st, req, dialog, callId, engine.newTag(), from.getTag(), transport, offer));
        if (srtpKey != null) {
            leg.sdp().acceptSrtp(srtpKey);
        }
        dialog.setApplicationData(leg);
        SipFlowRouter.Flow connection = SipFlowRouter.Flow.connectionOf(transport, source);
        if (connection != null) {
            legs.bindFlow(callId, connection); // requests back to the caller over its own TCP/TLS connection (RFC 5626 §5.3)
        } else {
            ContactHeader contact = (ContactHeader) req.getHeader(ContactHeader.NAME);
            InetSocketAddress nat = contact == null ? null : NatTraversal.natedSource(req, contact.getAddress().getURI());
            if (nat != null) {
                legs.bindFlow(callId, SipFlowRouter.Flow.udp(nat)); // a UDP caller behind a NAT: back to where it sent from
            }
        }
        legs.add(leg);
        legs.addDialog(leg);
        legs.addPendingInbound(leg);
        CallEvent.IncomingCall event = new CallEvent.IncomingCall(leg, caller, callee, domain, source,
                decision == InboundPolicy.Decision.TRUSTED, accountKey, trunkRegistration, Instant.now());
        leg.post(() -> {
            try {
                handler.onIncomingCall(event);
            } catch (RuntimeException ex) {
                log.error("call handler failed on {}", leg.id, ex);
                leg.terminate(HangupCause.INTERWORKING, Response.SERVER_INTERNAL_ERROR, true);
            }
        });
    }

    /**
     * The party's SDES key when this leg is to be SRTP, null for plain RTP; an offer the engine must refuse (488,
     * RFC 4568 §7.1.2) throws. Keys are only taken over TLS: elsewhere they would have crossed the network in clear
     * text (RFC 4568 §8.3).
     */
    static SdesCrypto srtpOf(MediaDescription offer, String transport, SrtpMode mode) throws SdpException {
        boolean tls = "tls".equals(transport);
        SdesCrypto key = offer.crypto().orElse(null);
        if (offer.savp() && key == null) {
            throw new SdpException("RTP/SAVP offer without a usable a=crypto (AES_CM_128_HMAC_SHA1_80 or _32, inline key)");
        }
        if (offer.savp() && !tls) {
            throw new SdpException("SRTP keys (a=crypto) are only accepted over SIP TLS");
        }
        if (offer.savp() && mode == SrtpMode.OFF) {
            throw new SdpException("SRTP is off for this peer");
        }
        if (mode == SrtpMode.REQUIRED && (key == null || !tls)) {
            throw new SdpException("SRTP (RTP/SAVP with a=crypto over TLS) is required");
        }
        return tls && mode != SrtpMode.OFF ? key : null;
    }
}
