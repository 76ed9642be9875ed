package dev.hotline.engine.testing;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A scripted SIP user agent on a UDP socket, for flows SIPp cannot play (two dialogs in one phone). */
public final class RawUa implements AutoCloseable {
    private final DatagramSocket socket;
    private final int remotePort;
    private final List<Msg> backlog = new ArrayList<>();

    /** A received message with header access. */
    public record Msg(String text) {
        public String firstLine() {
            return text.substring(0, text.indexOf("\r\n"));
        }

        public boolean isRequest(String method) {
            return firstLine().startsWith(method + " ");
        }

        public int status() {
            return firstLine().startsWith("SIP/2.0 ") ? Integer.parseInt(firstLine().substring(8, 11)) : 0;
        }

        public String header(String name) {
            Matcher m = Pattern.compile("(?mi)^" + Pattern.quote(name) + ":\\s*(.*?)\\r?$").matcher(text);
            return m.find() ? m.group(1) : null;
        }

        public String body() {
            int i = text.indexOf("\r\n\r\n");
            return i < 0 ? "" : text.substring(i + 4);
        }

        public String tag(String header) {
            Matcher m = Pattern.compile(";tag=([^;>\\s]+)").matcher(header(header));
            return m.find() ? m.group(1) : null;
        }
    }

    public RawUa(int remotePort) throws Exception {
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.socket.setSoTimeout(10_000);
        this.remotePort = remotePort;
    }

    private volatile String contact;

    /** The Contact its answers give (default: its own socket); e.g. a private address, as a phone behind a NAT says. */
    public RawUa contactAs(String uri) {
        this.contact = uri;
        return this;
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** {@code message} with a Content-Length header for its body added, unless it has one. */
    public static String withContentLength(String message) {
        if (message.contains("Content-Length:")) {
            return message;
        }
        int i = message.indexOf("\r\n\r\n");
        String body = message.substring(i + 4);
        return message.substring(0, i) + "\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    public static String branch() {
        return "z9hG4bK" + UUID.randomUUID().toString().replace("-", "");
    }

    public void send(String message) throws Exception {
        byte[] b = withContentLength(message).getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), remotePort));
    }

    /** The next message matching {@code p}; others are kept for later calls. */
    public Msg await(Predicate<Msg> p, String what) throws Exception {
        for (int i = 0; i < backlog.size(); i++) {
            if (p.test(backlog.get(i))) {
                return backlog.remove(i);
            }
        }
        byte[] buf = new byte[65535];
        while (true) {
            DatagramPacket in = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(in);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("timed out waiting for " + what + "; backlog " + backlog);
            }
            Msg m = new Msg(new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8));
            if (p.test(m)) {
                return m;
            }
            backlog.add(m);
        }
    }

    /** Answers a request, adding {@code toTag} to To when it has none. */
    public void respond(Msg req, int code, String reason, String toTag, String extra, String body) throws Exception {
        String to = req.header("To");
        if (toTag != null && !to.contains(";tag=")) {
            to = to + ";tag=" + toTag;
        }
        send("SIP/2.0 " + code + " " + reason + "\r\n"
                + "Via: " + req.header("Via") + "\r\n"
                + "From: " + req.header("From") + "\r\n"
                + "To: " + to + "\r\n"
                + "Call-ID: " + req.header("Call-ID") + "\r\n"
                + "CSeq: " + req.header("CSeq") + "\r\n"
                + "Contact: <" + (contact != null ? contact : "sip:b@127.0.0.1:" + port()) + ">\r\n"
                + (extra == null ? "" : extra)
                + (body == null || body.isEmpty() ? "" : "Content-Type: application/sdp\r\n")
                + "\r\n" + (body == null ? "" : body));
    }

    public static String sdp(int mediaPort) {
        return "v=0\r\no=b 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio " + mediaPort + " RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n";
    }

    @Override
    public void close() {
        socket.close();
    }
}
