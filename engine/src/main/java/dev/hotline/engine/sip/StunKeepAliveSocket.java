package dev.hotline.engine.sip;

import dev.hotline.engine.webrtc.StunException;
import dev.hotline.engine.webrtc.StunMessage;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;

/**
 * The SIP UDP socket (made by {@link SipTlsNetwork} for JAIN-SIP's UDP processor), which answers the STUN keep-alives of
 * RFC 5626 §4.4.2 / §8 itself: a Binding request (RFC 5389 §7.3.1, the ICE code's {@link StunMessage}) arriving on the
 * SIP port gets a Binding success response with the XOR-MAPPED-ADDRESS of its source and never reaches the SIP stack,
 * so neither the SIP parser's error path nor the SIP shield sees it. Anything else is handed to the stack as received.
 * Runs on the stack's receive thread: parsing and answering a 20-byte message costs microseconds, nothing blocks.
 */
final class StunKeepAliveSocket extends DatagramSocket {
    StunKeepAliveSocket(int port, InetAddress bindAddress) throws SocketException {
        super(port, bindAddress);
    }

    @Override
    public void receive(DatagramPacket p) throws IOException {
        int capacity = p.getLength(); // receive() shrinks the length to what arrived: restored before the next one
        while (true) {
            super.receive(p);
            byte[] answer = answer(p.getData(), p.getOffset(), p.getLength(), (InetSocketAddress) p.getSocketAddress());
            if (answer == null) {
                return;
            }
            if (answer.length > 0) {
                try {
                    send(new DatagramPacket(answer, answer.length, p.getSocketAddress()));
                } catch (IOException e) {
                    // the client pings again; its NAT binding is what matters
                }
            }
            p.setLength(capacity);
        }
    }

    /**
     * The Binding success response to a STUN Binding request in {@code buf}; empty for another STUN message (consumed
     * unanswered: an indication or a response, RFC 5389 §7.3.2 / §7.3.3, or a malformed one, §7.3); null when the
     * datagram is not STUN (its first two bits zero and the magic cookie, RFC 5389 §6: no SIP message looks so).
     */
    static byte[] answer(byte[] buf, int off, int len, InetSocketAddress source) {
        if (!StunMessage.looksLikeStun(buf, off, len)) {
            return null;
        }
        StunMessage request;
        try {
            request = StunMessage.parse(buf, off, len);
        } catch (StunException e) {
            return DROP;
        }
        if (!request.isBindingRequest() || (request.hasFingerprint() && !request.checkFingerprint())) {
            return DROP; // RFC 5389 §7.3: not answered, and not SIP either
        }
        // RFC 5389 §7.3.1: success response with the same transaction id and the source as XOR-MAPPED-ADDRESS
        return StunMessage.builder(StunMessage.BINDING_SUCCESS, request.transactionId())
                .xorMappedAddress(source).build(null, request.hasFingerprint());
    }

    /** Dropped: a STUN message that needs no answer (the loop sends nothing for an empty answer). */
    private static final byte[] DROP = new byte[0];
}
