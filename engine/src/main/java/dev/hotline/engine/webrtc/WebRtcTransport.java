package dev.hotline.engine.webrtc;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Everything one browser leg needs on its UDP port: ICE-lite, the DTLS-SRTP handshake and SRTP
 * both ways, demultiplexed by the first byte (RFC 7983).
 *
 * <p>Use: build it, put {@link #localUfrag()}, {@link #localPassword()} and
 * {@link #localFingerprint()} in the SDP answer ({@code a=ice-lite}, {@code a=setup:passive}),
 * pass the offer's ufrag and fingerprint to {@link #setRemote}, then hand every datagram of the
 * port to {@link #onPacket} and act on what it returns. Send media with {@link #protectRtp} to
 * {@link #remoteAddress()} once {@link #isSecure()}.
 *
 * <p>Threading: {@link #onPacket} and the {@code protect*} methods are meant for the leg's media
 * thread; {@code onPacket} returns one reused {@link Received}, valid until its next call, so one
 * thread at a time. They never block. The DTLS handshake runs on the given executor and sends its
 * records through the {@link PacketSender} from that thread.
 */
public final class WebRtcTransport implements AutoCloseable {
    /** Sends one datagram from the leg's port. Must not block for long; called from two threads. */
    public interface PacketSender {
        void send(byte[] data, int off, int len, InetSocketAddress to);
    }

    /** What {@link #onPacket} found. One instance per transport, overwritten by each call. */
    public static final class Received {
        /** NONE: nothing to do. SEND: send {@code data} to {@code address}. RTP/RTCP: the plain packet. */
        public enum Kind { NONE, SEND, RTP, RTCP }

        private Kind kind = Kind.NONE;
        private byte[] data;
        private int length;
        private InetSocketAddress address;

        private Received set(Kind kind, byte[] data, int length, InetSocketAddress address) {
            this.kind = kind;
            this.data = data;
            this.length = length;
            this.address = address;
            return this;
        }

        public Kind kind() {
            return kind;
        }

        /** SEND: the datagram to send. RTP/RTCP: the caller's buffer, decrypted in place from 0. */
        public byte[] data() {
            return data;
        }

        public int length() {
            return length;
        }

        /** SEND: where to. RTP/RTCP: where it came from. */
        public InetSocketAddress address() {
            return address;
        }
    }

    private static final String ICE_CHARS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private final String localUfrag;
    private final String localPassword;
    private final IceLiteResponder ice;
    private final DtlsSrtpServer dtls;
    private final PacketSender sender;
    private final Received received = new Received();
    private volatile InetSocketAddress lastDtlsSource;
    private volatile SrtpContext inbound;
    private volatile SrtpContext outbound;
    private final CompletableFuture<Void> secure = new CompletableFuture<>();
    private final ConsentFreshness consent = new ConsentFreshness(System.nanoTime());
    private long rejectedSrtp;

    /** With the default SRTP profiles (AES_CM_128_HMAC_SHA1_80 first) and a 10 s handshake bound. */
    public WebRtcTransport(DtlsCertificate certificate, PacketSender sender, Executor handshakeExecutor) {
        this(certificate, sender, handshakeExecutor, DtlsSrtpServer.DEFAULT_PROFILES,
                DtlsSrtpServer.DEFAULT_HANDSHAKE_TIMEOUT);
    }

    public WebRtcTransport(DtlsCertificate certificate, PacketSender sender, Executor handshakeExecutor,
            List<SrtpProfile> profiles, Duration handshakeTimeout) {
        SecureRandom random = new SecureRandom();
        // RFC 8839 §5.4: ufrag of at least 4 and password of at least 22 ice-chars.
        this.localUfrag = randomIceString(random, 8);
        this.localPassword = randomIceString(random, 24);
        this.ice = new IceLiteResponder(localUfrag, localPassword);
        this.sender = sender;
        this.dtls = new DtlsSrtpServer(certificate, profiles, handshakeTimeout, this::sendDtls, handshakeExecutor);
        dtls.handshake().whenComplete((keys, failure) -> {
            if (failure != null) {
                secure.completeExceptionally(failure);
            } else {
                // RFC 5764 §4.2: the browser (DTLS client) sends with the client key; we with the server's.
                inbound = keys.clientContext();
                outbound = keys.serverContext();
                secure.complete(null);
            }
        });
    }

    private static String randomIceString(SecureRandom random, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(ICE_CHARS.charAt(random.nextInt(ICE_CHARS.length())));
        }
        return sb.toString();
    }

    /** From the offer: its {@code a=ice-ufrag} and {@code a=fingerprint} value (either may be null). */
    public void setRemote(String remoteUfrag, String remoteFingerprint) {
        if (remoteUfrag != null) {
            ice.setRemoteUfrag(remoteUfrag);
        }
        if (remoteFingerprint != null) {
            dtls.expectRemoteFingerprint(remoteFingerprint);
        }
    }

    public String localUfrag() {
        return localUfrag;
    }

    public String localPassword() {
        return localPassword;
    }

    /** For {@code a=fingerprint:}: {@code "sha-256 AB:CD:..."}. */
    public String localFingerprint() {
        return "sha-256 " + dtls.localFingerprint();
    }

    /** Where media goes: the ICE-selected address, else the last DTLS source; null before either. */
    public InetSocketAddress remoteAddress() {
        InetSocketAddress selected = ice.selectedAddress();
        return selected != null ? selected : lastDtlsSource;
    }

    public boolean isSecure() {
        return outbound != null;
    }

    /** Completes when SRTP keys are in place; exceptionally when the handshake fails or times out. */
    public CompletableFuture<Void> secured() {
        return secure;
    }

    /** The browser's consent (RFC 7675): its checks answered on the selected pair and its authenticated media. */
    public ConsentFreshness consent() {
        return consent;
    }

    /** SRTP/SRTCP packets refused so far (bad tag, replay, malformed). */
    public long rejectedSrtpPackets() {
        return rejectedSrtp;
    }

    /**
     * Handles one datagram received on the leg's port. RTP and RTCP are decrypted in place in
     * {@code data}; STUN gets its answer back as SEND; DTLS is handed to the handshake (NONE).
     */
    public Received onPacket(byte[] data, int len, InetSocketAddress from) {
        switch (PacketDemux.classify(data, 0, len)) {
            case STUN: {
                IceLiteResponder.Reply reply = ice.onStun(data, 0, len, from);
                if (reply != null && reply.consent()) {
                    consent.checkAnswered(System.nanoTime());
                }
                return reply == null ? none() : received.set(Received.Kind.SEND, reply.data(), reply.data().length,
                        reply.to());
            }
            case DTLS:
                lastDtlsSource = from;
                dtls.onPacket(data, 0, len);
                return none();
            case RTP: {
                SrtpContext in = inbound;
                if (in == null) {
                    return none();
                }
                int n = in.unprotectRtp(data, 0, len);
                if (n < 0) {
                    rejectedSrtp++;
                    return none();
                }
                consent.mediaReceived(System.nanoTime());
                return received.set(Received.Kind.RTP, data, n, from);
            }
            case RTCP: {
                SrtpContext in = inbound;
                if (in == null) {
                    return none();
                }
                int n = in.unprotectRtcp(data, 0, len);
                if (n < 0) {
                    rejectedSrtp++;
                    return none();
                }
                consent.mediaReceived(System.nanoTime());
                return received.set(Received.Kind.RTCP, data, n, from);
            }
            default:
                return none();
        }
    }

    private Received none() {
        return received.set(Received.Kind.NONE, null, 0, null);
    }

    /**
     * Encrypts an RTP packet in place for {@link #remoteAddress()}; needs
     * {@link SrtpContext#RTP_OVERHEAD_MAX} free bytes after it. Returns the SRTP length, or -1
     * when the keys are not there yet.
     */
    public int protectRtp(byte[] buf, int off, int len) {
        SrtpContext out = outbound;
        return out == null ? -1 : out.protectRtp(buf, off, len);
    }

    /** As {@link #protectRtp} for an RTCP compound packet; needs {@link SrtpContext#RTCP_OVERHEAD} bytes. */
    public int protectRtcp(byte[] buf, int off, int len) {
        SrtpContext out = outbound;
        return out == null ? -1 : out.protectRtcp(buf, off, len);
    }

    private void sendDtls(byte[] data, int off, int len) {
        InetSocketAddress to = remoteAddress();
        if (to != null) {
            sender.send(data, off, len, to);
        }
    }

    /** Ends the DTLS session (close_notify when established) and stops a pending handshake. */
    @Override
    public void close() {
        dtls.close();
        inbound = null;
        outbound = null;
    }
}
