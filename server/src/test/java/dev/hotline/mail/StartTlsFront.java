package dev.hotline.mail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A STARTTLS front for GreenMail's plain SMTP, for tests (GreenMail 2.1 offers SMTPS but no STARTTLS): it greets, offers
 * STARTTLS in its EHLO answer and refuses anything else before it (RFC 3207 §4: 530), upgrades the connection with the
 * given key store, then relays the client's session (which starts again with EHLO) to GreenMail, whose own greeting it
 * swallows. {@link #upgrades()} counts the TLS handshakes that completed.
 */
final class StartTlsFront implements AutoCloseable {
    private final ServerSocket listener;
    private final SSLContext tls;
    private final int backendPort;
    private final AtomicInteger upgrades = new AtomicInteger();

    StartTlsFront(Path keyStore, String password, int backendPort) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, password.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password.toCharArray());
        this.tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        this.backendPort = backendPort;
        this.listener = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "starttls-front");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    int upgrades() {
        return upgrades.get();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                Thread t = new Thread(() -> serve(s), "starttls-session");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket plain) {
        try (plain) {
            InputStream in = plain.getInputStream();
            OutputStream out = plain.getOutputStream();
            write(out, "220 starttls-front ESMTP");
            while (true) {
                String line = readLine(in);
                if (line == null) return;
                String cmd = line.toUpperCase(Locale.ROOT);
                if (cmd.startsWith("EHLO")) {
                    write(out, "250-starttls-front\r\n250 STARTTLS");
                } else if (cmd.startsWith("STARTTLS")) {
                    write(out, "220 ready to start TLS");
                    break;
                } else if (cmd.startsWith("QUIT")) {
                    write(out, "221 bye");
                    return;
                } else {
                    write(out, "530 must issue a STARTTLS command first");
                }
            }
            SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(plain, plain.getInetAddress().getHostAddress(), plain.getPort(), true);
            secure.setUseClientMode(false);
            secure.startHandshake();
            upgrades.incrementAndGet();
            try (secure; Socket back = new Socket(InetAddress.getLoopbackAddress(), backendPort)) {
                InputStream backIn = back.getInputStream();
                readLine(backIn); // GreenMail's 220 greeting: the client had ours
                Thread up = new Thread(() -> pipe(backIn, secure), "starttls-up");
                up.setDaemon(true);
                up.start();
                pipe(secure.getInputStream(), back);
                up.join(5000);
            }
        } catch (IOException | InterruptedException e) {
            // the client or GreenMail went away: the session ends
        }
    }

    private static void pipe(InputStream from, Socket to) {
        try {
            from.transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException e) {
            // one side closed
        }
    }

    private static void write(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** One line, read a byte at a time so that nothing of the TLS handshake that follows is read ahead. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != -1; c = in.read()) {
            if (c == '\n') return b.toString(StandardCharsets.US_ASCII).strip();
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
