package dev.hotline.engine.sip;

import gov.nist.javax.sip.stack.MessageProcessor;
import gov.nist.javax.sip.stack.MessageProcessorFactory;
import gov.nist.javax.sip.stack.NioMessageProcessorFactory;
import gov.nist.javax.sip.stack.OIOMessageProcessorFactory;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.io.IOException;
import java.net.InetAddress;
import javax.sip.ListeningPoint;

/**
 * The stack's transports (property {@code gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY}): UDP and TCP on JAIN-SIP's
 * NIO processors, TLS on its blocking one (a thread per connection).
 * <p>
 * Why not NIO for TLS: in JAIN-SIP 1.3.0-91 {@code NIOHandler.openOutgoingConnection} drops the socket it has just
 * connected from its table (its {@code connected} flag is never set), so the first send on a new client connection
 * opens a second one; the TLS channel then re-wraps the ClientHello it had already encrypted as application data and
 * the peer's handshake fails ("Remote host terminated the handshake"). Hotline as TLS client (calls to a phone
 * registered over TLS, TLS trunks, RFC 3261 §26.2) therefore never got its INVITE through. The blocking processor
 * connects once and handshakes before the first write. Over TCP the same bug only costs an extra connection.
 */
public final class SipTransports implements MessageProcessorFactory {
    private final MessageProcessorFactory nio = new NioMessageProcessorFactory();
    private final MessageProcessorFactory blocking = new OIOMessageProcessorFactory();

    @Override
    public MessageProcessor createMessageProcessor(SIPTransactionStack stack, InetAddress address, int port,
                                                   String transport) throws IOException {
        return ListeningPoint.TLS.equalsIgnoreCase(transport)
                ? blocking.createMessageProcessor(stack, address, port, transport)
                : nio.createMessageProcessor(stack, address, port, transport);
    }
}
