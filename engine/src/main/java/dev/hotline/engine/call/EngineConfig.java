package dev.hotline.engine.call;

import java.time.Duration;
import java.util.List;

/**
 * Everything needed to start the engine. Use {@link #defaults()} and the withers.
 *
 * @param bindAddress        local address for SIP and RTP sockets
 * @param advertisedAddress  address written in Via/Contact/SDP (the bind address unless behind NAT)
 * @param sipPort            SIP port for UDP and TCP
 * @param udp                listen on UDP
 * @param tcp                listen on TCP
 * @param rtpPortMin         first RTP port (even)
 * @param rtpPortMax         last RTP port
 * @param mediaThreads       media reactor threads
 * @param defaultDomain      SIP domain used when a request names the engine's address instead of a domain
 * @param noAnswerTimeout    default ring time of outbound legs before CANCEL
 * @param rtpTimeout         hang up an answered call after this long without media; zero disables
 * @param sessionExpires     RFC 4028 session interval offered on outbound legs; zero disables
 * @param minRegisterExpires shortest registration accepted (423 below it)
 * @param maxRegisterExpires longest registration granted
 * @param authMaxFailures    failed authentications from one IP within {@code authFailureWindow} before a ban
 * @param authFailureWindow  window for counting failures
 * @param authBanDuration    how long requests from a banned IP are dropped
 * @param sipThreads         JAIN-SIP listener threads
 * @param callThreads        threads running the per-call serial executors
 * @param accountMaxFailures failed authentications of one account from any address within the window before it is
 *                           locked (SEC-1); zero disables
 * @param sweepMaxUsers      OPTIONS to more different users than this from one address within the window ban it
 *                           (SEC-1); zero disables
 * @param trustedSources     addresses or CIDR blocks never banned (a proxy in front, the operator's network)
 * @param product            product name sent in User-Agent (requests) and Server (responses); empty sends none
 * @param tls                SIP over TLS on its own port ({@link SipTls#OFF} when off)
 */
public record EngineConfig(
        String bindAddress,
        String advertisedAddress,
        int sipPort,
        boolean udp,
        boolean tcp,
        int rtpPortMin,
        int rtpPortMax,
        int mediaThreads,
        String defaultDomain,
        Duration noAnswerTimeout,
        Duration rtpTimeout,
        Duration sessionExpires,
        Duration minRegisterExpires,
        Duration maxRegisterExpires,
        int authMaxFailures,
        Duration authFailureWindow,
        Duration authBanDuration,
        int sipThreads,
        int callThreads,
        int accountMaxFailures,
        int sweepMaxUsers,
        List<String> trustedSources,
        String product,
        SipTls tls) {

    public EngineConfig {
        if (sipPort <= 0 || sipPort > 65535) {
            throw new IllegalArgumentException("sipPort must be 1-65535");
        }
        if (!udp && !tcp) {
            throw new IllegalArgumentException("at least one of UDP and TCP is required");
        }
        if (rtpPortMin < 1024 || rtpPortMax > 65535 || rtpPortMax - rtpPortMin < 3) {
            throw new IllegalArgumentException("bad RTP port range " + rtpPortMin + "-" + rtpPortMax);
        }
        trustedSources = List.copyOf(trustedSources);
        product = product == null ? "" : product.strip();
        tls = tls == null ? SipTls.OFF : tls;
        if (tls.enabled() && tls.port() == sipPort) {
            throw new IllegalArgumentException("the SIP TLS port must differ from the UDP/TCP port " + sipPort);
        }
        if (advertisedAddress == null || advertisedAddress.isBlank()) {
            advertisedAddress = bindAddress;
        }
    }

    public static EngineConfig defaults() {
        int cores = Runtime.getRuntime().availableProcessors();
        return new EngineConfig("0.0.0.0", null, 5060, true, true, 20000, 29999, Math.max(1, cores / 2),
                "hotline.local", Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(1800),
                Duration.ofSeconds(60), Duration.ofSeconds(3600), 5, Duration.ofMinutes(1), Duration.ofMinutes(5),
                Math.max(8, cores * 4), Math.max(2, cores * 2), 10, 10, List.of(), "", SipTls.OFF);
    }

    public EngineConfig withBind(String address, int port) {
        return new EngineConfig(address, address.equals(bindAddress) ? advertisedAddress : address, port, udp, tcp,
                rtpPortMin, rtpPortMax, mediaThreads, defaultDomain, noAnswerTimeout, rtpTimeout, sessionExpires,
                minRegisterExpires, maxRegisterExpires, authMaxFailures, authFailureWindow, authBanDuration,
                sipThreads, callThreads, accountMaxFailures, sweepMaxUsers, trustedSources, product, tls);
    }

    public EngineConfig withAdvertisedAddress(String address) {
        return new EngineConfig(bindAddress, address, sipPort, udp, tcp, rtpPortMin, rtpPortMax, mediaThreads,
                defaultDomain, noAnswerTimeout, rtpTimeout, sessionExpires, minRegisterExpires, maxRegisterExpires,
                authMaxFailures, authFailureWindow, authBanDuration, sipThreads, callThreads, accountMaxFailures, sweepMaxUsers, trustedSources, product, tls);
    }

    public EngineConfig withRtpPorts(int min, int max) {
        return new EngineConfig(bindAddress, advertisedAddress, sipPort, udp, tcp, min, max, mediaThreads,
                defaultDomain, noAnswerTimeout, rtpTimeout, sessionExpires, minRegisterExpires, maxRegisterExpires,
                authMaxFailures, authFailureWindow, authBanDuration, sipThreads, callThreads, accountMaxFailures, sweepMaxUsers, trustedSources, product, tls);
    }

    public EngineConfig withDefaultDomain(String domain) {
        return new EngineConfig(bindAddress, advertisedAddress, sipPort, udp, tcp, rtpPortMin, rtpPortMax,
                mediaThreads, domain, noAnswerTimeout, rtpTimeout, sessionExpires, minRegisterExpires,
                maxRegisterExpires, authMaxFailures, authFailureWindow, authBanDuration, sipThreads, callThreads, accountMaxFailures, sweepMaxUsers, trustedSources, product, tls);
    }

    public EngineConfig withTimeouts(Duration noAnswer, Duration rtp, Duration session) {
        return new EngineConfig(bindAddress, advertisedAddress, sipPort, udp, tcp, rtpPortMin, rtpPortMax,
                mediaThreads, defaultDomain, noAnswer, rtp, session, minRegisterExpires, maxRegisterExpires,
                authMaxFailures, authFailureWindow, authBanDuration, sipThreads, callThreads, accountMaxFailures, sweepMaxUsers, trustedSources, product, tls);
    }

    public EngineConfig withAuthThrottle(int maxFailures, Duration window, Duration ban) {
        return new EngineConfig(bindAddress, advertisedAddress, sipPort, udp, tcp, rtpPortMin, rtpPortMax,
                mediaThreads, defaultDomain, noAnswerTimeout, rtpTimeout, sessionExpires, minRegisterExpires,
                maxRegisterExpires, maxFailures, window, ban, sipThreads, callThreads, accountMaxFailures, sweepMaxUsers, trustedSources, product, tls);
    }

    public EngineConfig withThreads(int sip, int call, int media) {
        return new EngineConfig(bindAddress, advertisedAddress, sipPort, udp, tcp, rtpPortMin, rtpPortMax, media,
                defaultDomain, noAnswerTimeout, rtpTimeout, sessionExpires, minRegisterExpires, maxRegisterExpires,
                authMaxFailures, authFailureWindow, authBanDuration, sip, call, accountMaxFailures, sweepMaxUsers, trustedSources, product, tls);
    }

    public EngineConfig withTransports(boolean udpOn, boolean tcpOn) {
        return new EngineConfig(bindAddress, advertisedAddress, sipPort, udpOn, tcpOn, rtpPortMin, rtpPortMax,
                mediaThreads, defaultDomain, noAnswerTimeout, rtpTimeout, sessionExpires, minRegisterExpires,
                maxRegisterExpires, authMaxFailures, authFailureWindow, authBanDuration, sipThreads, callThreads, accountMaxFailures, sweepMaxUsers, trustedSources, product, tls);
    }

    public EngineConfig withShield(int accountMax, int sweepMax, List<String> trusted) {
        return new EngineConfig(bindAddress, advertisedAddress, sipPort, udp, tcp, rtpPortMin, rtpPortMax,
                mediaThreads, defaultDomain, noAnswerTimeout, rtpTimeout, sessionExpires, minRegisterExpires,
                maxRegisterExpires, authMaxFailures, authFailureWindow, authBanDuration, sipThreads, callThreads,
                accountMax, sweepMax, trusted, product, tls);
    }

    public EngineConfig withProduct(String name) {
        return new EngineConfig(bindAddress, advertisedAddress, sipPort, udp, tcp, rtpPortMin, rtpPortMax,
                mediaThreads, defaultDomain, noAnswerTimeout, rtpTimeout, sessionExpires, minRegisterExpires,
                maxRegisterExpires, authMaxFailures, authFailureWindow, authBanDuration, sipThreads, callThreads,
                accountMaxFailures, sweepMaxUsers, trustedSources, name, tls);
    }

    public EngineConfig withTls(SipTls t) {
        return new EngineConfig(bindAddress, advertisedAddress, sipPort, udp, tcp, rtpPortMin, rtpPortMax,
                mediaThreads, defaultDomain, noAnswerTimeout, rtpTimeout, sessionExpires, minRegisterExpires,
                maxRegisterExpires, authMaxFailures, authFailureWindow, authBanDuration, sipThreads, callThreads,
                accountMaxFailures, sweepMaxUsers, trustedSources, product, t);
    }

    /** The port Via and Contact name for a transport: TLS has its own. */
    public int portFor(String transport) {
        return "tls".equalsIgnoreCase(transport) && tls.enabled() ? tls.port() : sipPort;
    }
}
