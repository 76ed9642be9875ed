package dev.hotline.engine.testing;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One SIP request over UDP to a server on loopback, and its answer: for tests of what SIPp cannot send. */
public final class SipDatagrams {
    private SipDatagrams() {
    }

    /**
     * Sends {@code message} to {@code port} on loopback and returns the first answer other than 100 Trying that carries
     * the message's Call-ID, or null when none comes within 1.5 s (or the socket's timeout). A late retransmission of
     * an earlier INVITE's final answer (never ACKed by such tests) is not this one's answer.
     */
    public static String exchange(DatagramSocket s, int port, String message) throws Exception {
        Matcher cid = Pattern.compile("Call-ID: ([^\r]+)").matcher(message);
        String callId = cid.find() ? "Call-ID: " + cid.group(1) : "";
        byte[] out = message.getBytes(StandardCharsets.UTF_8);
        s.send(new DatagramPacket(out, out.length, InetAddress.getLoopbackAddress(), port));
        byte[] buf = new byte[65535];
        long deadline = System.nanoTime() + Duration.ofMillis(1500).toNanos();
        while (System.nanoTime() < deadline) {
            DatagramPacket in = new DatagramPacket(buf, buf.length);
            try {
                s.receive(in);
            } catch (SocketTimeoutException e) {
                return null;
            }
            String text = new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8);
            if (!text.startsWith("SIP/2.0 100") && text.contains(callId)) {
                return text;
            }
        }
        return null;
    }
}
