package dev.hotline.engine.sip;

import gov.nist.javax.sip.stack.ExactUdpMessageProcessor;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.MessageProcessor;
import gov.nist.javax.sip.stack.MessageProcessorFactory;
import gov.nist.javax.sip.stack.NioMessageProcessorFactory;
import gov.nist.javax.sip.stack.NioTcpMessageProcessor;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import gov.nist.javax.sip.stack.TLSMessageChannel;
import gov.nist.javax.sip.stack.TLSMessageProcessor;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;
import javax.sip.ListeningPoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stack's transports (property {@code gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY}): UDP on JAIN-SIP's processor
 * with one receive buffer ({@link ExactUdpMessageProcessor}), TCP on its NIO processor (as {@link Tcp}), TLS on its blocking one (a thread per connection), as {@link Tls}. Both
 * connection-oriented ones tell whether a connection with a peer is open ({@link Connections}), for
 * {@link SipFlowRouter}'s connection reuse.
 * <p>
 * Why not NIO for TLS: in JAIN-SIP 1.3.0-91 {@code NIOHandler.openOutgoingConnection} drops the socket it has just
 * connected from its table (its {@code connected} flag is never set), so the first send on a new client connection
 * opens a second one; the TLS channel then re-wraps the ClientHello it had already encrypted as application data and
 * the peer's handshake fails ("Remote host terminated the handshake"). Hotline as TLS client (calls to a phone
 * registered over TLS, TLS trunks, RFC 3261 §26.2) therefore never got its INVITE through. The blocking processor
 * connects once and handshakes before the first write.
 * <p>
 * Over TCP the same bug lost the first request on every new client connection (a call to a TCP phone at its Contact,
 * a TCP trunk): the second connect replaces the channel's socket by one no channel is filed under, and the selector
 * drops the queued write as "dead". {@link Tcp} hands the socket it has just connected back to that second connect.
 */
public final class SipTransports implements MessageProcessorFactory {
    private final MessageProcessorFactory nio = new NioMessageProcessorFactory();

    @Override
    public MessageProcessor createMessageProcessor(SIPTransactionStack stack, InetAddress address, int port,
                                                   String transport) throws IOException {
        if (ListeningPoint.TLS.equalsIgnoreCase(transport)) {
            return new Tls(address, stack, port);
        }
        if (ListeningPoint.UDP.equalsIgnoreCase(transport)) {
            return new ExactUdpMessageProcessor(address, stack, port); // one receive buffer, not 64 KiB a datagram
        }
        return ListeningPoint.TCP.equalsIgnoreCase(transport)
                ? new Tcp(address, stack, port)
                : nio.createMessageProcessor(stack, address, port, transport);
    }

    /**
     * A transport's open connections. A connection a peer opened is filed under the peer's address and source port once
     * its first request is read (JAIN-SIP caches it for sending, RFC 3261 §18.2.2), and dropped when it closes.
     */
    interface Connections {
        boolean isOpen(InetSocketAddress peer);
    }

    /**
     * JAIN-SIP's NIO TCP processor, which can tell whether a connection with a peer is open, and which connects once
     * per destination: {@code NIOHandler} asks again for every send on a client connection (it forgot the socket), and
     * gets the open one back instead of a second connection.
     */
    static final class Tcp extends NioTcpMessageProcessor implements Connections {
        /** The client connections this processor made, by destination; NIOHandler serialises connects per destination. */
        private final Map<InetSocketAddress, SocketChannel> connected = new ConcurrentHashMap<>();

        Tcp(InetAddress address, SIPTransactionStack stack, int port) {
            super(address, stack, port);
        }

        @Override
        public SocketChannel connect(InetSocketAddress address, InetAddress localAddress, int timeout) throws IOException {
            SocketChannel open = connected.get(address);
            if (open != null && open.isOpen() && open.isConnected()) {
                return open;
            }
            connected.values().removeIf(c -> !c.isOpen());
            SocketChannel fresh = super.connect(address, localAddress, timeout);
            connected.put(address, fresh);
            return fresh;
        }

        @Override
        public boolean isOpen(InetSocketAddress peer) {
            return messageChannels.containsKey(MessageChannel.getKey(peer.getAddress(), peer.getPort(), "TCP"));
        }
    }

    /**
     * JAIN-SIP's blocking TLS processor, which can tell whether a connection with a peer is open, and whose connections
     * answer a keep-alive ping on themselves ({@link TlsChannel}). Its accept loop is JAIN-SIP's, with
     * {@link TlsChannel} for the channel (and without the stack's connection limit, which the engine does not set).
     */
    static final class Tls extends TLSMessageProcessor implements Connections {
        private static final Logger log = LoggerFactory.getLogger(Tls.class);

        Tls(InetAddress address, SIPTransactionStack stack, int port) {
            super(address, stack, port);
        }

        @Override
        public boolean isOpen(InetSocketAddress peer) {
            return messageChannels.containsKey(MessageChannel.getKey(peer.getAddress(), peer.getPort(), "TLS"));
        }

        @Override
        public void run() {
            while (isRunning) {
                Socket accepted;
                try {
                    synchronized (this) {
                        nConnections++;
                    }
                    accepted = sock.accept();
                } catch (SocketException | SSLException e) {
                    if (isRunning) {
                        log.error("SIP TLS port stops accepting connections", e);
                        isRunning = false;
                    }
                    return;
                } catch (IOException e) {
                    log.warn("SIP TLS: a connection could not be accepted: {}", e.toString());
                    continue;
                }
                if (!isRunning) {
                    return;
                }
                try {
                    TlsChannel channel = new TlsChannel(accepted, sipStack, this, "TLSMessageChannelThread-" + nConnections);
                    if (channel.isHandshakeCompleted()) {
                        incomingMessageChannels.put(channel.getKey(), channel); // as JAIN-SIP: once the handshake passed
                    }
                } catch (IOException | RuntimeException e) {
                    log.debug("SIP TLS: a connection failed at its start: {}", e.toString());
                }
            }
        }
    }

    /**
     * A TLS connection a peer opened, which writes the pong of a keep-alive (RFC 5626 §4.4.1: a single CRLF for a
     * double CRLF) on itself. JAIN-SIP's channel sends it through the stack's socket table, where a connection is filed
     * only once its first SIP message was read: a ping before that made it connect to the peer's source port instead
     * (no pong, and the connection's reader waited for that connect).
     */
    static final class TlsChannel extends TLSMessageChannel {
        private static final byte[] PONG = {'\r', '\n'};

        TlsChannel(Socket socket, SIPTransactionStack stack, TLSMessageProcessor processor, String threadName)
                throws IOException {
            super(socket, stack, processor, threadName);
        }

        @Override
        public void sendSingleCLRF() throws Exception {
            Socket socket = mySock;
            if (socket == null || socket.isClosed()) {
                return;
            }
            OutputStream out = socket.getOutputStream();
            synchronized (out) { // JAIN-SIP's IOHandler writes SIP messages under the same lock
                out.write(PONG);
                out.flush();
            }
        }
    }
}
