package gov.nist.javax.sip.stack;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.SocketException;
import java.util.Arrays;
import java.util.LinkedList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JAIN-SIP's UDP processor with a receive loop that reads every datagram into one 64 KiB buffer and queues an exact-size
 * copy. The stock loop allocates a new 64 KiB array for each datagram and keeps it queued until a channel thread parses
 * it: at a few hundred calls per second that was 44 % of everything the server allocated (JFR, 2026-12-07), and the
 * young collections it caused copied the calls' own live objects again and again. Datagrams up to 64 KiB are still read
 * whole. It lives in JAIN-SIP's package because the channel threads it starts ({@link UDPMessageChannel}) and the queue
 * they read are visible there only; nothing else of the stock processor changes.
 */
public final class ExactUdpMessageProcessor extends UDPMessageProcessor {
    private static final Logger log = LoggerFactory.getLogger(ExactUdpMessageProcessor.class);
    /** RFC 3261 §18.1.1 leaves UDP datagrams up to the IP limit; JAIN-SIP's own cap. */
    private static final int MAX_DATAGRAM = 64 * 1024;

    public ExactUdpMessageProcessor(InetAddress address, SIPTransactionStack stack, int port) throws IOException {
        super(address, stack, port);
        stack.udpFlag = true;
    }

    @Override
    public void run() {
        messageChannels = new LinkedList<>();
        if (sipStack.threadPoolSize != -1) {
            for (int i = 0; i < sipStack.threadPoolSize; i++) {
                messageChannels.add(new UDPMessageChannel(sipStack, this,
                        ((gov.nist.javax.sip.SipStackImpl) sipStack).getStackName() + "-UDPMessageChannelThread-" + i));
            }
        }
        byte[] buffer = new byte[MAX_DATAGRAM];
        DatagramPacket in = new DatagramPacket(buffer, buffer.length);
        int reported = 0;
        while (isRunning) {
            try {
                in.setData(buffer, 0, buffer.length);
                sock.receive(in);
                DatagramPacket exact = new DatagramPacket(Arrays.copyOf(buffer, in.getLength()), in.getLength(),
                        in.getAddress(), in.getPort());
                if (sipStack.threadPoolSize != -1) {
                    messageQueue.offer(new DatagramQueuedMessageDispatch(exact, System.currentTimeMillis()));
                } else {
                    new UDPMessageChannel(sipStack, this, exact);
                }
                reported = 0;
            } catch (java.net.SocketTimeoutException ex) {
                // the thread auditor's ping interval, when one is configured: nothing received
            } catch (SocketException ex) {
                if (!isRunning) return;
                if (reported++ < 10) log.warn("UDP receive on port {}: {}", getPort(), ex.toString());
            } catch (IOException | RuntimeException ex) {
                if (reported++ < 10) log.warn("UDP receive on port {}: {}", getPort(), ex.toString());
            }
        }
    }
}
