package dev.hotline.engine.sip;

import dev.hotline.engine.call.HangupCause;
import dev.hotline.engine.call.WebRtcConnection;
import dev.hotline.engine.rtp.MediaRelay;
import dev.hotline.engine.rtp.RtpEndpoint;
import dev.hotline.engine.webrtc.DtlsCertificate;
import dev.hotline.engine.webrtc.WebRtcSdp;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agents' browser connections (one persistent WebRTC connection per agent key) and the browser legs
 * ({@link dev.hotline.engine.call.Target.WebRtc}) placed on them: no SIP at all, the leg's media goes
 * through its agent's connection. A connection and its legs change together under one lock.
 */
final class BrowserConnections {
    private static final Logger log = LoggerFactory.getLogger(BrowserConnections.class);

    private final SipEngine engine;
    private final MediaRelay relay;
    private final ExecutorService callPool;
    private final Map<String, BrowserConnection> byKey = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private volatile DtlsCertificate certificate;

    BrowserConnections(SipEngine engine, MediaRelay relay, ExecutorService callPool) {
        this.engine = engine;
        this.relay = relay;
        this.callPool = callPool;
    }

    /**
     * Opens the connection of {@code key}; an open one is replaced and its calls move over (taking the new one's
     * codec). {@code opus}: answer Opus when the browser offers it, else G.711 only.
     */
    BrowserConnection connect(String key, String offerSdp, boolean opus) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("key is required");
        }
        WebRtcSdp.Offer offer = WebRtcSdp.parseOffer(offerSdp, opus);
        BrowserConnection conn;
        try {
            conn = new BrowserConnection(engine, key, offer, certificate(), relay, new SerialExecutor(callPool));
        } catch (IOException e) {
            throw new IllegalStateException("no media port for the WebRTC connection of " + key + ": " + e.getMessage(), e);
        }
        BrowserConnection old;
        synchronized (lock) {
            old = byKey.put(key, conn);
            if (old != null) {
                // Reload or reconnection: the calls move over and go on once the new one is secured.
                for (SipLeg leg : old.takeLegs()) {
                    leg.joinBrowser(conn);
                    conn.add(leg);
                }
            }
        }
        if (old != null) {
            old.close(false);
            log.info("WebRTC connection {} replaced (port {} -> {})", key, old.port(), conn.port());
        } else {
            log.info("WebRTC connection {} opened on port {}", key, conn.port());
        }
        return conn;
    }

    /** Closes the connection of {@code key}; its calls end. */
    void disconnect(String key) {
        BrowserConnection conn;
        List<SipLeg> legs;
        synchronized (lock) {
            conn = key == null ? null : byKey.remove(key);
            legs = conn == null ? List.of() : conn.takeLegs();
        }
        if (conn == null) {
            return;
        }
        conn.close(true);
        for (SipLeg leg : legs) {
            leg.post(() -> leg.terminate(HangupCause.NORMAL_CLEARING, 0, true));
        }
        log.info("WebRTC connection {} closed, {} call(s) ended", key, legs.size());
    }

    Optional<WebRtcConnection> find(String key) {
        return Optional.ofNullable(byKey.get(key));
    }

    /** The engine's DTLS certificate, made once on first use. */
    private DtlsCertificate certificate() {
        DtlsCertificate c = certificate;
        if (c == null) {
            synchronized (lock) {
                c = certificate;
                if (c == null) {
                    c = DtlsCertificate.generate();
                    certificate = c;
                }
            }
        }
        return c;
    }

    /** A browser leg is placed (call executor): it joins its agent's connection and rings at once. */
    void start(SipLeg out) {
        BrowserConnection conn;
        synchronized (lock) {
            conn = byKey.get(out.webRtcKey());
            if (conn != null) {
                out.joinBrowser(conn);
                conn.add(out);
            }
        }
        if (conn == null) {
            // Like an unregistered extension: nobody to ring.
            out.terminateSilently(HangupCause.SUBSCRIBER_ABSENT, Response.TEMPORARILY_UNAVAILABLE);
            return;
        }
        out.ringInBrowser();
    }

    /** A browser leg ended: it leaves its connection. */
    void legEnded(SipLeg leg) {
        synchronized (lock) {
            BrowserConnection c = leg.browser();
            if (c != null) {
                c.remove(leg);
            }
        }
    }

    /** The media of a browser leg: an endpoint without sockets whose packets go out through its connection. */
    RtpEndpoint endpoint(SipLeg[] holder) {
        return relay.virtualEndpoint((packet, rtcp) -> {
            SipLeg leg = holder[0];
            BrowserConnection c = leg == null ? null : leg.browser();
            return c != null && c.send(leg, packet, rtcp);
        });
    }

    /**
     * The sweeper: a connection whose browser's consent expired (RFC 7675; the tab closed, the browser quit,
     * the network gone for 30 s) is closed and its calls end with {@link HangupCause#CONSENT_EXPIRED}, each
     * partner hearing an ordinary hang-up. A reload is no expiry: the new page's connection replaces this one
     * within seconds and takes the calls over ({@link #connect}).
     */
    void checkAlive(long now) {
        for (BrowserConnection c : byKey.values()) {
            if (c.consentExpired(now)) {
                expire(c, now);
            }
        }
    }

    private void expire(BrowserConnection conn, long now) {
        List<SipLeg> legs;
        synchronized (lock) {
            if (!byKey.remove(conn.key(), conn)) {
                return; // replaced meanwhile: its calls live on in the new connection
            }
            legs = conn.takeLegs();
        }
        conn.close(true);
        for (SipLeg leg : legs) {
            leg.post(() -> leg.terminate(HangupCause.CONSENT_EXPIRED, 0, true));
        }
        log.info("WebRTC connection {}: consent expired (no consent check or media for {} s), {} call(s) ended",
                conn.key(), conn.silentSeconds(now), legs.size());
    }

    /** The engine closes: every connection closes, without ending calls one by one. */
    void closeAll() {
        for (String key : List.copyOf(byKey.keySet())) {
            BrowserConnection c = byKey.remove(key);
            if (c != null) {
                c.close(false);
            }
        }
    }
}
