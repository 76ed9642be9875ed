package dev.hotline.engine.sip;

import dev.hotline.engine.call.CallParty;
import dev.hotline.engine.call.CallerId;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.DialRequest;
import dev.hotline.engine.call.EngineConfig;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.engine.call.Registration;
import dev.hotline.engine.call.SrtpMode;
import dev.hotline.engine.call.Target;
import dev.hotline.engine.rtp.MediaRelay;
import dev.hotline.engine.rtp.RtpEndpoint;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbound dialler: places outbound legs, either on their own ({@link #originate}) or for a
 * partner leg they are bridged with on answer ({@link #dialFor}, B2BUA), by an INVITE to a registered
 * contact or a URI (RFC 3261 §8.1.1), or on an agent's browser connection.
 */
final class Dialer {
    private static final Logger log = LoggerFactory.getLogger(Dialer.class);

    private final SipEngine engine;
    private final EngineConfig config;
    private final SipMessages msg;
    private final SessionTimers sessionTimers;
    private final Registrar registrar;
    private final BrowserConnections browsers;
    private final MediaRelay relay;
    private final ExecutorService callPool;
    private final LegTable legs;

    Dialer(SipEngine engine, EngineConfig config, SipMessages msg, SessionTimers sessionTimers, Registrar registrar,
           BrowserConnections browsers, MediaRelay relay, ExecutorService callPool, LegTable legs) {
        this.engine = engine;
        this.config = config;
        this.msg = msg;
        this.sessionTimers = sessionTimers;
        this.registrar = registrar;
        this.browsers = browsers;
        this.relay = relay;
        this.callPool = callPool;
        this.legs = legs;
    }

    /** A call of its own, on a new call executor; {@code beforeStart} sees the channel before anything is sent. */
    SipLeg originate(DialRequest request, Consumer<Channel> beforeStart) {
        CallerId cid = request.callerId() != null ? request.callerId() : new CallerId("anonymous", "");
        Target target = request.target();
        SipLeg[] holder = new SipLeg[1];
        RtpEndpoint ep = endpointFor(target, holder);
        SipLeg out = SipLeg.outbound(engine, engine.newId(), new SerialExecutor(callPool),
                new CallParty(cid.user(), config.advertisedAddress(), cid.displayName()), calleeOf(target), ep,
                request, null);
        holder[0] = out;
        legs.add(out);
        beforeStart.accept(out);
        out.post(() -> {
            if (ep == null || !admitted(out)) {
                out.terminateSilently(HangupCause.SERVICE_UNAVAILABLE, Response.SERVICE_UNAVAILABLE);
                return;
            }
            start(out, cid);
        });
        return out;
    }

    /** Creates and starts an outbound leg that follows {@code partner} (runs on the partner's executor). */
    SipLeg dialFor(SipLeg partner, DialRequest request) {
        CallerId cid = request.callerId() != null ? request.callerId()
                : new CallerId(partner.caller.user().isEmpty() ? "anonymous" : partner.caller.user(),
                partner.caller.displayName());
        Target target = request.target();
        SipLeg[] holder = new SipLeg[1];
        RtpEndpoint ep = endpointFor(target, holder);
        SipLeg out = SipLeg.outbound(engine, engine.newId(), partner.ctx,
                new CallParty(cid.user(), config.advertisedAddress(), cid.displayName()), calleeOf(target), ep,
                request, partner);
        holder[0] = out;
        legs.add(out);
        partner.post(() -> {
            if (partner.isFinal()) {
                out.terminate(HangupCause.ORIGINATOR_CANCEL, 0, false);
                return;
            }
            partner.partnerWith(out);
            if (ep == null || !admitted(out)) {
                out.terminateSilently(HangupCause.SERVICE_UNAVAILABLE, Response.SERVICE_UNAVAILABLE);
                return;
            }
            start(out, cid);
        });
        return out;
    }

    /** A leg to a URI asks the server's outbound policy (a trunk's channels), now that it is in the leg table. */
    private boolean admitted(SipLeg out) {
        return !(out.dialRequest().target() instanceof Target.Uri) || engine.admitOutbound(out);
    }

    /** A browser leg's virtual endpoint, or a media port (null when none is free). */
    private RtpEndpoint endpointFor(Target target, SipLeg[] holder) {
        if (target instanceof Target.WebRtc) {
            return browsers.endpoint(holder);
        }
        try {
            return relay.allocate();
        } catch (IOException ex) {
            return null;
        }
    }

    private static CallParty calleeOf(Target target) {
        if (target instanceof Target.Registered r) {
            return new CallParty(r.user(), r.domain(), "");
        }
        if (target instanceof Target.WebRtc w) {
            return new CallParty(w.key(), "webrtc", "");
        }
        Target.Uri u = (Target.Uri) target;
        return new CallParty(u.user() == null ? "" : u.user(), u.host(), "");
    }

    /** Sends the INVITE of {@code out} (call executor), or rings the agent's browser. */
    private void start(SipLeg out, CallerId cid) {
        if (out.webRtcKey() != null) {
            browsers.start(out);
            return;
        }
        String boundCallId = null;
        try {
            URI requestUri;
            String transport;
            SipURI toUri;
            Target target = out.dialRequest().target();
            SipFlowRouter.Flow flow = null;
            if (target instanceof Target.Registered r) {
                List<Registration> regs = registrar.lookup(r.domain(), r.user());
                if (regs.isEmpty()) {
                    out.terminateSilently(HangupCause.SUBSCRIBER_ABSENT, Response.TEMPORARILY_UNAVAILABLE);
                    return;
                }
                Registration reg = reachable(regs);
                requestUri = msg.af.createURI(reg.contact());
                transport = reg.transport();
                String contactTransport = requestUri instanceof SipURI su && su.getTransportParam() != null
                        ? su.getTransportParam().toLowerCase(Locale.ROOT) : reg.transport();
                if (contactTransport.equals(reg.transport())) {
                    // RFC 5626 §5.3 / RFC 5923: over the TCP or TLS connection it registered on, while that is open
                    flow = SipFlowRouter.Flow.connectionOf(reg.transport(), reg.source());
                }
                if (flow == null && reg.natAddress() != null) {
                    flow = SipFlowRouter.Flow.udp(reg.natAddress()); // RFC 3581: its NAT's public address and port
                }
                toUri = msg.af.createSipURI(r.user(), r.domain());
            } else {
                Target.Uri u = (Target.Uri) target;
                SipURI uri = msg.af.createSipURI(u.user() == null || u.user().isEmpty() ? null : u.user(), u.host());
                if (u.port() > 0) {
                    uri.setPort(u.port());
                }
                if (!"udp".equals(u.transport())) {
                    uri.setTransportParam(u.transport());
                }
                requestUri = uri;
                transport = u.transport();
                if ("tls".equals(transport) && engine.tlsNetwork != null) {
                    engine.tlsNetwork.checkNameOf(u.host()); // RFC 5922 §7.2: the carrier's certificate names it
                }
                toUri = (SipURI) uri.clone();
                toUri.removeParameter("transport");
            }
            if (requestUri instanceof SipURI su && su.getTransportParam() != null) {
                transport = su.getTransportParam().toLowerCase(Locale.ROOT);
            }
            // RFC 4568 §8.3: SDES keys only over TLS; a phone registered over TLS gets a best-effort offer
            boolean tls = "tls".equals(transport);
            out.sdp().offerSrtp(!tls ? SrtpMode.OFF : target instanceof Target.Uri u ? u.srtp() : SrtpMode.OPTIONAL);
            String fromHost = target instanceof Target.Registered r ? r.domain() : config.advertisedAddress();
            SipURI fromUri = msg.af.createSipURI(cid.user(), fromHost);
            Address fromAddr = msg.af.createAddress(fromUri);
            if (!cid.displayName().isEmpty()) {
                fromAddr.setDisplayName(cid.displayName());
            }
            String localTag = engine.newTag();
            CallIdHeader callId = msg.provider.getNewCallId();
            List<ViaHeader> vias = new ArrayList<>(1);
            vias.add(msg.hf.createViaHeader(config.advertisedAddress(), config.portFor(transport), transport, SipMessages.newBranch()));
            SipLeg partner = out.partner();
            Request invite = msg.mf.createRequest(requestUri, Request.INVITE, callId,
                    msg.hf.createCSeqHeader(1L, Request.INVITE), msg.hf.createFromHeader(fromAddr, localTag),
                    msg.hf.createToHeader(msg.af.createAddress(toUri), null), vias, msg.hf.createMaxForwardsHeader(70),
                    msg.hf.createContentTypeHeader("application", "sdp"),
                    out.sdp().offerSdp(partner != null ? partner.sdp() : out.sdp()));
            invite.addHeader(msg.contact(transport, tls && requestUri instanceof SipURI su && su.isSecure())); // RFC 3261 §8.1.1.8
            invite.addHeader(msg.hf.createAllowHeader(SipMessages.ALLOW));
            invite.addHeader(msg.hf.createSupportedHeader("timer, replaces"));
            for (var h : out.dialRequest().headers().entrySet()) {
                invite.addHeader(msg.hf.createHeader(h.getKey(), h.getValue())); // call waiting, auto-answer
            }
            msg.identify(invite);
            sessionTimers.offer(invite, config.sessionExpires().toSeconds()); // RFC 4028 §7.1
            if (flow != null) {
                boundCallId = callId.getCallId();
                legs.bindFlow(boundCallId, flow);
            }
            ClientTransaction ct = msg.provider.getNewClientTransaction(invite);
            ct.setApplicationData(out);
            Dialog dialog = msg.provider.getNewDialog(ct);
            dialog.setApplicationData(out);
            out.sip().inviting(callId.getCallId(), localTag, transport, invite, ct, dialog);
            legs.addDialog(out);
            out.armRingTimer();
            ct.sendRequest();
        } catch (Exception ex) {
            if (boundCallId != null && out.sip().callId() == null) {
                legs.unbindFlow(boundCallId); // not filed with the leg's dialog: not forgotten with it
            }
            boolean refused = certificateRefused(ex);
            log.info("channel {}: cannot send INVITE{}: {}", out.id, refused ? " (TLS certificate refused)" : "", ex.toString());
            out.terminateSilently(refused ? HangupCause.TLS_CERTIFICATE_REFUSED : HangupCause.NETWORK_OUT_OF_ORDER,
                    Response.SERVICE_UNAVAILABLE);
        }
    }

    /**
     * The binding a call to a registered user goes to: the most recent one (RFC 3261 §10.3 bindings, as before), except
     * that an RFC 5626 flow whose connection is gone is passed over for the next (§5.3: the proxy picks a flow that is
     * alive; §11.1: a UA keeps a second flow for this). When none is alive, the most recent (tried at its Contact).
     */
    private Registration reachable(List<Registration> regs) {
        for (Registration reg : regs) {
            SipFlowRouter.Flow flow = reg.outbound() ? SipFlowRouter.Flow.connectionOf(reg.transport(), reg.source()) : null;
            if (flow == null || router().usable(flow)) {
                return reg;
            }
            log.debug("flow {} of {}@{} (reg-id {}) is closed: the next binding", flow, reg.user(), reg.domain(), reg.regId());
        }
        return regs.get(0);
    }

    private SipFlowRouter router() {
        return (SipFlowRouter) engine.stack().getRouter();
    }

    /** The failure was a TLS handshake that refused the peer's certificate (untrusted, or naming another host). */
    static boolean certificateRefused(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof java.security.cert.CertificateException) {
                return true;
            }
        }
        return false;
    }
}
