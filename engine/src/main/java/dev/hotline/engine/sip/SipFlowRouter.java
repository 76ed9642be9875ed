package dev.hotline.engine.sip;

import gov.nist.javax.sip.stack.DefaultRouter;
import gov.nist.javax.sip.stack.HopImpl;
import java.net.InetSocketAddress;
import java.util.function.Function;
import java.util.function.Predicate;
import javax.sip.ListeningPoint;
import javax.sip.SipException;
import javax.sip.SipStack;
import javax.sip.address.Hop;
import javax.sip.header.CallIdHeader;
import javax.sip.message.Request;

/**
 * The SIP stack's router (property {@code javax.sip.ROUTER_PATH}): JAIN-SIP's default routing (Route, else the
 * Request-URI, RFC 3261 §8.1.2), except that a request of a call whose leg is bound to a flow goes there: over a TCP or
 * TLS connection while it is open (the connection a phone registered on, for calls to it, or the one its INVITE or
 * SUBSCRIBE came on, for requests back to it: RFC 5626 §5.3 / RFC 3261 §18.2.2 / RFC 5923 connection reuse; a phone
 * behind a NAT advertises a Contact nobody can reach, but its own connection to us stays open), and to the public
 * address and port a UDP phone behind a NAT sent from ({@link NatTraversal}, RFC 3581). Once the connection closed,
 * the request goes to its Request-URI (the phone's Contact) again.
 */
public final class SipFlowRouter extends DefaultRouter {
    /** Where a call's requests go instead of their Request-URI / Route: a TCP or TLS connection, or a NAT's UDP mapping. */
    record Flow(InetSocketAddress peer, String transport) {
        static Flow tls(InetSocketAddress peer) {
            return new Flow(peer, ListeningPoint.TLS);
        }

        static Flow tcp(InetSocketAddress peer) {
            return new Flow(peer, ListeningPoint.TCP);
        }

        /** The connection a request came on ({@code transport} tcp or tls, any case), or null for UDP (no connection). */
        static Flow connectionOf(String transport, InetSocketAddress peer) {
            if (ListeningPoint.TLS.equalsIgnoreCase(transport)) {
                return tls(peer);
            }
            return ListeningPoint.TCP.equalsIgnoreCase(transport) ? tcp(peer) : null;
        }

        static Flow udp(InetSocketAddress peer) {
            return new Flow(peer, ListeningPoint.UDP);
        }
    }

    private volatile Function<String, Flow> flowOfCall = callId -> null;
    private volatile Predicate<Flow> isOpen = flow -> false;

    /** JAIN-SIP makes it by reflection; {@link #use} gives it the engine's flows. */
    public SipFlowRouter(SipStack stack, String outboundProxy) {
        super(stack, outboundProxy);
    }

    /** {@code flowOfCall}: the flow a call's leg is bound to (or null); {@code isOpen}: whether a TCP or TLS flow's connection is open. */
    void use(Function<String, Flow> flowOfCall, Predicate<Flow> isOpen) {
        this.flowOfCall = flowOfCall;
        this.isOpen = isOpen;
    }

    /** Whether requests can go over {@code flow} now: a TCP or TLS connection while it is open; a UDP flow always. */
    boolean usable(Flow flow) {
        return ListeningPoint.UDP.equals(flow.transport()) || isOpen.test(flow);
    }

    @Override
    public Hop getNextHop(Request request) throws SipException {
        CallIdHeader callId = (CallIdHeader) request.getHeader(CallIdHeader.NAME);
        Flow flow = callId == null ? null : flowOfCall.apply(callId.getCallId());
        if (flow != null && usable(flow)) {
            return new HopImpl(flow.peer().getAddress().getHostAddress(), flow.peer().getPort(), flow.transport());
        }
        return super.getNextHop(request);
    }
}
