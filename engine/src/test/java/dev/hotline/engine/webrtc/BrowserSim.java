package dev.hotline.engine.webrtc;

import dev.hotline.engine.codec.G711;
import dev.hotline.engine.dtmf.DtmfDigit;
import dev.hotline.engine.dtmf.TelephoneEventGenerator;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.SRTPProtectionProfile;

/**
 * A browser stand-in on a real UDP socket: Chromium-like offer, ICE check with USE-CANDIDATE (our
 * STUN), DTLS client (BouncyCastle), SRTP both ways (our SrtpContext), a 1 kHz PCMU tone every
 * 20 ms and RFC 4733 keys on payload type 126.
 */
final class BrowserSim implements AutoCloseable {
    static final DtlsCertificate CERT = DtlsCertificate.generate();
    static final int TELEPHONE_EVENT_PT = 126;
    private static final AtomicLong INSTANCES = new AtomicLong();

    final String ufrag = "sim" + INSTANCES.incrementAndGet();
    final String pwd = "simulatedbrowserpassword";
    private final DatagramSocket socket;
    private final BlockingQueue<byte[]> dtlsIn = new LinkedBlockingQueue<>();
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "browser-sim-send");
        t.setDaemon(true);
        return t;
    });
    private final Thread reader;
    private volatile CompletableFuture<StunMessage> stunAnswer = new CompletableFuture<>();
    private volatile InetSocketAddress server;
    private volatile SrtpContext out;
    private volatile SrtpContext in;
    private ScheduledFuture<?> media;
    private final int ssrc = (int) (Math.random() * Integer.MAX_VALUE);
    private int seq;
    private int ts;
    private final byte[] tone = new byte[160];
    /** Decrypted RTP packets received, by payload: audio and everything. */
    final AtomicLong audioReceived = new AtomicLong();
    final AtomicLong rtpReceived = new AtomicLong();
    /** Audio packets received whose payload is not silence (G.711 values near zero). */
    final AtomicLong loudReceived = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();
    volatile int lastPayloadType = -1;

    BrowserSim() throws SocketException {
        socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        for (int i = 0; i < tone.length; i++) {
            tone[i] = G711.linearToUlaw((short) (8000 * Math.sin(2 * Math.PI * 1000 * i / 8000.0)));
        }
        reader = new Thread(this::read, "browser-sim-read");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * An offer as Chromium writes it for an audio-only peer connection (candidates not yet gathered), without Opus and
     * its RED: the simulation speaks PCMU (with Opus offered the engine would take Opus, RFC 7587).
     */
    String offer() {
        return String.join("\r\n",
                "v=0",
                "o=- 4611731400430051336 2 IN IP4 127.0.0.1",
                "s=-",
                "t=0 0",
                "a=group:BUNDLE 0",
                "a=extmap-allow-mixed",
                "a=msid-semantic: WMS stream",
                "m=audio 9 UDP/TLS/RTP/SAVPF 9 0 8 13 110 126",
                "c=IN IP4 0.0.0.0",
                "a=rtcp:9 IN IP4 0.0.0.0",
                "a=ice-ufrag:" + ufrag,
                "a=ice-pwd:" + pwd,
                "a=ice-options:trickle",
                "a=fingerprint:" + CERT.sdpFingerprint(),
                "a=setup:actpass",
                "a=mid:0",
                "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
                "a=sendrecv",
                "a=msid:stream track",
                "a=rtcp-mux",
                "a=rtcp-rsize",
                "a=rtpmap:9 G722/8000",
                "a=rtpmap:0 PCMU/8000",
                "a=rtpmap:8 PCMA/8000",
                "a=rtpmap:13 CN/8000",
                "a=rtpmap:110 telephone-event/48000",
                "a=rtpmap:126 telephone-event/8000",
                "a=ssrc:" + Integer.toUnsignedString(ssrc) + " cname:sim",
                "") ;
    }

    /** The offer with Opus first, as Chromium lists it (RFC 7587), telephone-event/48000 (110) being there already. */
    static String withOpus(String offer) {
        return offer.replace("UDP/TLS/RTP/SAVPF 9 0 8 13", "UDP/TLS/RTP/SAVPF 111 9 0 8 13")
                .replace("a=rtpmap:9 G722/8000", "a=rtpmap:111 opus/48000/2\r\na=fmtp:111 minptime=10;useinbandfec=1\r\n"
                        + "a=rtpmap:9 G722/8000");
    }

    private static String find(String sdp, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(sdp);
        if (!m.find()) {
            throw new AssertionError("answer lacks " + regex + ":\n" + sdp);
        }
        return m.group(1).trim();
    }

    /** ICE check (nominating), then the DTLS handshake as client; returns once SRTP keys are there. */
    void connect(String answer) throws Exception {
        String serverUfrag = find(answer, "^a=ice-ufrag:(\\S+)");
        String serverPwd = find(answer, "^a=ice-pwd:(\\S+)");
        String fingerprint = find(answer, "^a=fingerprint:sha-256 (\\S+)");
        Matcher cand = Pattern.compile("^a=candidate:\\S+ 1 udp \\d+ (\\S+) (\\d+) typ host", Pattern.MULTILINE)
                .matcher(answer);
        if (!cand.find()) {
            throw new AssertionError("no host candidate in\n" + answer);
        }
        server = new InetSocketAddress(cand.group(1), Integer.parseInt(cand.group(2)));
        stunAnswer = new CompletableFuture<>();
        byte[] tx = new byte[12];
        new java.security.SecureRandom().nextBytes(tx);
        byte[] check = StunMessage.builder(StunMessage.BINDING_REQUEST, tx).username(serverUfrag + ":" + ufrag)
                .priority(2130706431L).iceControlling(42).useCandidate().build(StunMessage.shortTermKey(serverPwd), true);
        socket.send(new DatagramPacket(check, check.length, server));
        StunMessage reply = stunAnswer.get(10, TimeUnit.SECONDS);
        if (reply.type() != StunMessage.BINDING_SUCCESS) {
            throw new AssertionError("ICE check refused: type " + reply.type());
        }
        TestDtlsClient client = new TestDtlsClient(CERT, fingerprint, SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80);
        client.connect(new DatagramTransport() {
            @Override
            public int getReceiveLimit() {
                return 1500;
            }

            @Override
            public int getSendLimit() {
                return 1400;
            }

            @Override
            public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
                try {
                    byte[] p = dtlsIn.poll(waitMillis, TimeUnit.MILLISECONDS);
                    if (p == null) {
                        return -1;
                    }
                    int n = Math.min(len, p.length);
                    System.arraycopy(p, 0, buf, off, n);
                    return n;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }

            @Override
            public void send(byte[] buf, int off, int len) throws IOException {
                socket.send(new DatagramPacket(buf, off, len, server));
            }

            @Override
            public void close() {
            }
        });
        out = client.keys.clientContext(); // RFC 5764 §4.2: the DTLS client sends with the client key
        in = client.keys.serverContext();
    }

    /** Starts sending the tone, one packet every 20 ms. */
    synchronized void startMedia() {
        if (media == null) {
            media = sender.scheduleAtFixedRate(this::sendTone, 0, 20, TimeUnit.MILLISECONDS);
        }
    }

    synchronized void stopMedia() {
        if (media != null) {
            media.cancel(false);
            media = null;
        }
    }

    private void sendTone() {
        sendRtp(0, false, ts, tone, tone.length);
        ts += 160;
    }

    /** One RFC 4733 key (100 ms), sent from the media thread between tone packets. */
    void sendDtmf(char key) {
        List<TelephoneEventGenerator.Packet> packets = TelephoneEventGenerator.packets(DtmfDigit.fromSymbol(key), 800,
                160, 10);
        sender.execute(() -> {
            int start = ts;
            byte[] payload = new byte[4];
            for (TelephoneEventGenerator.Packet p : packets) {
                p.encode(payload, 0);
                sendRtp(TELEPHONE_EVENT_PT, p.marker(), start, payload, 4);
            }
            ts += 800;
        });
    }

    private void sendRtp(int pt, boolean marker, int timestamp, byte[] payload, int len) {
        SrtpContext o = out;
        InetSocketAddress to = server;
        if (o == null || to == null) {
            return;
        }
        byte[] b = new byte[12 + len + SrtpContext.RTP_OVERHEAD_MAX];
        b[0] = (byte) 0x80;
        b[1] = (byte) ((marker ? 0x80 : 0) | pt);
        StunMessage.writeShort(b, 2, seq++ & 0xFFFF);
        StunMessage.writeInt(b, 4, timestamp);
        StunMessage.writeInt(b, 8, ssrc);
        System.arraycopy(payload, 0, b, 12, len);
        int n = o.protectRtp(b, 0, 12 + len);
        try {
            socket.send(new DatagramPacket(b, n, to));
        } catch (IOException e) {
            // closed
        }
    }

    private void read() {
        byte[] buf = new byte[2048];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        while (!socket.isClosed()) {
            try {
                p.setLength(buf.length);
                socket.receive(p);
            } catch (IOException e) {
                return;
            }
            int len = p.getLength();
            if (len < 1) {
                continue;
            }
            int first = buf[0] & 0xFF;
            if (first < 4) {
                try {
                    stunAnswer.complete(StunMessage.parse(buf, 0, len));
                } catch (StunException e) {
                    // ignore
                }
            } else if (first >= 20 && first <= 63) {
                dtlsIn.add(java.util.Arrays.copyOf(buf, len));
            } else if (first >= 128 && first <= 191 && len >= 12) {
                int pt = buf[1] & 0x7F;
                SrtpContext i = in;
                if (i == null || (pt >= 64 && pt <= 95)) {
                    continue; // RTCP (RFC 5761 §4) or no keys yet
                }
                int n = i.unprotectRtp(buf, 0, len);
                if (n < 0) {
                    rejected.incrementAndGet();
                    continue;
                }
                rtpReceived.incrementAndGet();
                lastPayloadType = pt;
                if (pt == 0 || pt == 8) {
                    audioReceived.incrementAndGet();
                    int loud = 0;
                    for (int k = 12; k < n; k++) {
                        short v = pt == 0 ? G711.ulawToLinear(buf[k]) : G711.alawToLinear(buf[k]);
                        if (Math.abs(v) > 200) {
                            loud++;
                        }
                    }
                    if (loud > 10) {
                        loudReceived.incrementAndGet();
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        stopMedia();
        sender.shutdownNow();
        socket.close();
    }
}
