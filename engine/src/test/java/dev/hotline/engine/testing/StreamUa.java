package dev.hotline.engine.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A scripted SIP user agent on one TCP or TLS connection (RFC 3261 §18.3 framing by Content-Length), for what SIPp and
 * JAIN-SIP cannot show: the bytes of a keep-alive exchange (RFC 5626 §4.4.1) and several flows of one phone.
 */
public final class StreamUa implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private StreamUa(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(10_000);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** A TCP connection to 127.0.0.1:{@code port}. */
    public static StreamUa tcp(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        return new StreamUa(s);
    }

    /** A TLS connection to 127.0.0.1:{@code port}, trusting the certificates of {@code trustStore} (PKCS12). */
    public static StreamUa tls(int port, Path trustStore, String password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream f = Files.newInputStream(trustStore)) {
            ks.load(f, password.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
        s.startHandshake();
        return new StreamUa(s);
    }

    /** The local port: where the server sees this connection come from. */
    public int port() {
        return socket.getLocalPort();
    }

    /** Writes raw bytes (a keep-alive). */
    public void sendRaw(String bytes) throws IOException {
        out.write(bytes.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Sends a message, adding Content-Length when it has none. */
    public void send(String message) throws IOException {
        out.write(RawUa.withContentLength(message).getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Exactly {@code n} bytes as they arrive (a pong), failing after the read timeout. */
    public String readRaw(int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new AssertionError("connection closed after " + b.length + " of " + n + " bytes");
        }
        return new String(b, StandardCharsets.US_ASCII);
    }

    /** The next message, its headers read up to the blank line and its body by Content-Length; no byte skipped before it. */
    public RawUa.Msg read(String what) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        try {
            while (true) {
                int c = in.read();
                if (c < 0) {
                    throw new AssertionError("connection closed waiting for " + what + "; read " + head);
                }
                head.write(c);
                byte[] h = head.toByteArray();
                int n = h.length;
                if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                    break;
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("timed out waiting for " + what + "; read " + head);
        }
        String headers = head.toString(StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("(?mi)^(?:Content-Length|l)\\s*:\\s*(\\d+)").matcher(headers);
        int length = m.find() ? Integer.parseInt(m.group(1)) : 0;
        String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        return new RawUa.Msg(headers + body);
    }

    /** Answers a request on this connection, adding {@code toTag} to To when it has none. */
    public void respond(RawUa.Msg req, int code, String reason, String toTag, String contact, String body) throws IOException {
        String to = req.header("To");
        if (toTag != null && !to.contains(";tag=")) {
            to = to + ";tag=" + toTag;
        }
        StringBuilder vias = new StringBuilder();
        Matcher v = Pattern.compile("(?mi)^Via:\\s*(.*?)\\r?$").matcher(req.text());
        while (v.find()) {
            vias.append("Via: ").append(v.group(1)).append("\r\n");
        }
        send("SIP/2.0 " + code + " " + reason + "\r\n" + vias
                + "From: " + req.header("From") + "\r\n"
                + "To: " + to + "\r\n"
                + "Call-ID: " + req.header("Call-ID") + "\r\n"
                + "CSeq: " + req.header("CSeq") + "\r\n"
                + (contact == null ? "" : "Contact: <" + contact + ">\r\n")
                + (body == null || body.isEmpty() ? "" : "Content-Type: application/sdp\r\n")
                + "\r\n" + (body == null ? "" : body));
    }

    public boolean isClosed() {
        return socket.isClosed();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
