package dev.hotline.engine.sip;

import gov.nist.javax.sip.message.SIPMessage;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ListIterator;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;

/**
 * A UDP phone behind a NAT: its Contact names its private address, which the server cannot reach, while its requests come
 * from the NAT's public address and port (RFC 3581 §4: the "received"/"rport" of its Via). Requests to it go to that source
 * instead, as Kamailio's fix_nated_contact and Asterisk's nat=force_rport do; the NAT keeps the mapping open as long as the
 * phone re-registers (or sends keep-alives) often enough. A phone behind a NAT on TCP or TLS needs none of this: requests for
 * it go over the connection it opened ({@link SipFlowRouter}, RFC 5626 §5.3 / RFC 5923).
 */
final class NatTraversal {
    private NatTraversal() {
    }

    /**
     * Where requests for {@code contact} must go when the phone that sent {@code req} is behind a NAT: the address and port
     * the datagram came from (not the Via's sent-by port, which JAIN-SIP reports as the remote port of a UDP request).
     */
    static InetSocketAddress natedSource(Request req, URI contact) {
        if (!(req instanceof SIPMessage m) || m.getPeerPacketSourceAddress() == null || m.getPeerPacketSourcePort() <= 0) {
            return null;
        }
        return natedSource(req, new InetSocketAddress(m.getPeerPacketSourceAddress(), m.getPeerPacketSourcePort()), contact);
    }

    /**
     * Where requests for {@code contact} must go when the phone that sent {@code req} from {@code source} is behind a NAT:
     * the request came over UDP straight from the phone (one Via: no proxy between, whose address would be the source),
     * its Contact's host is a private address literal (RFC 1918, RFC 6598 shared, link-local, IPv6 unique-local) and not
     * where the request came from. Null otherwise: the Contact is used.
     */
    static InetSocketAddress natedSource(Request req, InetSocketAddress source, URI contact) {
        if (source == null || !(contact instanceof SipURI sip)) {
            return null;
        }
        ListIterator<?> vias = req.getHeaders(ViaHeader.NAME);
        int count = 0;
        String transport = null;
        while (vias != null && vias.hasNext()) {
            ViaHeader via = (ViaHeader) vias.next();
            transport = count == 0 ? via.getTransport() : transport;
            count++;
        }
        if (count != 1 || !"udp".equalsIgnoreCase(transport) || (sip.getTransportParam() != null && !"udp".equalsIgnoreCase(sip.getTransportParam()))) {
            return null;
        }
        InetAddress host = literal(sip.getHost());
        if (host == null || !isPrivate(host)) {
            return null;
        }
        int port = sip.getPort() > 0 ? sip.getPort() : 5060;
        if (host.equals(source.getAddress()) && port == source.getPort()) {
            return null;
        }
        return source;
    }

    // compiled once: every INVITE and REGISTER's Contact is looked at
    private static final java.util.regex.Pattern IPV4 = java.util.regex.Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final java.util.regex.Pattern IPV6 = java.util.regex.Pattern.compile("[0-9A-Fa-f:.%a-zA-Z]+");

    /** The address an IP literal names (IPv6 in brackets or not); null for a host name (never resolved here). */
    static InetAddress literal(String host) {
        if (host == null || host.isEmpty()) {
            return null;
        }
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean v4 = IPV4.matcher(h).matches();
        boolean v6 = h.contains(":") && IPV6.matcher(h).matches();
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(h); // a literal: no lookup
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    /** Addresses no one outside the phone's own network can reach. */
    static boolean isPrivate(InetAddress a) {
        if (a.isSiteLocalAddress() || a.isLinkLocalAddress()) {
            return true; // RFC 1918, 169.254/16, fe80::/10
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            return (b[0] & 0xFF) == 100 && (b[1] & 0xC0) == 64; // RFC 6598 shared address space 100.64/10 (carrier-grade NAT)
        }
        return a instanceof Inet6Address && (b[0] & 0xFE) == 0xFC; // RFC 4193 unique local fc00::/7
    }
}
