package dev.hotline.engine.sip;

import dev.hotline.engine.call.SipTls;
import gov.nist.core.net.DefaultNetworkLayer;
import gov.nist.core.net.NetworkLayer;
import gov.nist.javax.sip.SipStackImpl;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * The sockets of the SIP stack (JAIN-SIP property {@code gov.nist.javax.sip.NETWORK_LAYER}): plain TCP sockets as
 * JAIN-SIP's default network layer makes them, a UDP socket that answers STUN keep-alives ({@link StunKeepAliveSocket},
 * RFC 5626 §4.4.2; installed whether TLS is on or not), and TLS sockets from Hotline's own {@link SSLContext}, built from the
 * key store of {@link SipTls} and its trust store, never from the JVM's {@code javax.net.ssl} system properties
 * (HTTPS and other stacks share those).
 * <p>
 * Trust: a configured trust store ({@code sip.tls.truststore}, e.g. a carrier's private CA) is the whole set of trusted
 * certificates; without one, the JDK's certificate authorities ({@code cacerts}) plus Hotline's own certificate (so a
 * phone or test agent presenting that certificate can be called back over TLS).
 * <p>
 * Host names (RFC 5922 §7.2, RFC 6125): for a host Hotline dials as a SIP URI or registers to over TLS (trunks,
 * {@link #checkNameOf}), the server certificate must name that host (subjectAltName DNS name, or IP address for an
 * address), checked by the JDK during the handshake (endpoint identification, RFC 2818 rules) with the host also sent
 * as SNI. A mismatch fails the handshake: the request is not sent and the caller gets the handshake's reason. Phones
 * called on their Contact address are checked against the trust store only (they seldom have a certificate naming
 * their address); usually no new connection is opened to them anyway ({@link SipFlowRouter}). JAIN-SIP keeps one
 * connection per address and port: a second trunk name on the address of a connection already open shares it
 * without a check of its own, and a connection a peer opened to us is used for requests back to it unchecked.
 */
public final class SipTlsNetwork implements NetworkLayer {

    /**
     * JAIN-SIP's own default suites are RSA key exchange, 3DES and anonymous ones (refused by a current JDK, and
     * useless with an EC key): ask for forward-secret AEAD suites instead, for RSA and EC certificates.
     */
    static final String CIPHER_SUITES = "TLS_AES_128_GCM_SHA256,TLS_AES_256_GCM_SHA384,"
            + "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,"
            + "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384";
    static final String PROTOCOLS = "TLSv1.3,TLSv1.2";
    private static final int CONNECT_TIMEOUT_MS = 8000;

    private final NetworkLayer plain = DefaultNetworkLayer.SINGLETON;
    /** Hosts (lower case, as dialled: a name or an address literal) whose certificate must name them. */
    private final Set<String> checkedNames = ConcurrentHashMap.newKeySet();
    private volatile SSLContext context;

    /** JAIN-SIP makes it by reflection; {@link #use} gives it the stores before any TLS socket is made. */
    public SipTlsNetwork() {
    }

    /** The SIP stack's property that names this network layer: always, for the UDP socket's STUN answers. */
    static void install(Properties p) {
        p.setProperty("gov.nist.javax.sip.NETWORK_LAYER", SipTlsNetwork.class.getName());
    }

    /** The TLS settings JAIN-SIP reads itself. */
    static void configure(Properties p, SipTls tls) {
        p.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", tls.clientAuth());
        p.setProperty("gov.nist.javax.sip.ENABLED_CIPHER_SUITES", CIPHER_SUITES);
        p.setProperty("gov.nist.javax.sip.TLS_CLIENT_PROTOCOLS", PROTOCOLS);
    }

    /** Loads the key and trust stores of {@code tls}; fails with the file at fault. */
    void use(SipTls tls) throws IOException, GeneralSecurityException {
        KeyStore keys = load(tls.keyStore(), tls.keyStorePassword(), tls.keyStoreType(), "SIP TLS key store");
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, tls.keyStorePassword().toCharArray());
        KeyStore trust = tls.trustStore() != null
                ? load(tls.trustStore(), tls.trustStorePassword(), tls.trustStoreType(), "SIP TLS trust store")
                : defaultTrust(keys);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        this.context = c;
    }

    /** From now on a new TLS connection to {@code host} (as dialled) needs a certificate naming it. */
    public void checkNameOf(String host) {
        checkedNames.add(host.toLowerCase(Locale.ROOT));
    }

    private static KeyStore load(Path file, String password, String type, String what)
            throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, password.toCharArray());
        } catch (IOException e) {
            throw new IOException(what + " " + file + ": " + e.getMessage(), e);
        }
        return ks;
    }

    /** The JDK's cacerts plus the certificates of our own key store. */
    private static KeyStore defaultTrust(KeyStore own) throws IOException, GeneralSecurityException {
        KeyStore out = KeyStore.getInstance("PKCS12");
        out.load(null, null);
        Path cacerts = Path.of(System.getProperty("java.home"), "lib", "security", "cacerts");
        if (Files.isReadable(cacerts)) {
            KeyStore ca = KeyStore.getInstance(KeyStore.getDefaultType());
            try (InputStream in = Files.newInputStream(cacerts)) {
                ca.load(in, null); // reading certificates needs no password
            }
            copyCertificates(ca, out, "ca-");
        }
        copyCertificates(own, out, "own-");
        return out;
    }

    private static void copyCertificates(KeyStore from, KeyStore to, String prefix) throws GeneralSecurityException {
        for (String alias : Collections.list(from.aliases())) {
            Certificate c = from.getCertificate(alias);
            if (c != null) {
                to.setCertificateEntry(prefix + alias, c);
            }
        }
    }

    private SSLContext context() throws IOException {
        SSLContext c = context;
        if (c == null) {
            throw new IOException("SIP TLS is not configured");
        }
        return c;
    }

    @Override
    public SSLServerSocket createSSLServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
        return (SSLServerSocket) context().getServerSocketFactory().createServerSocket(port, backlog, bindAddress);
    }

    @Override
    public SSLSocket createSSLSocket(InetAddress address, int port) throws IOException {
        return createSSLSocket(address, port, null);
    }

    /**
     * A client TLS socket, connected but not yet handshaken (JAIN-SIP starts the handshake). The host as dialled is
     * the part of {@link InetAddress#toString()} before the slash (the name it was resolved from; empty for an
     * address literal, then the address).
     */
    @Override
    public SSLSocket createSSLSocket(InetAddress address, int port, InetAddress myAddress) throws IOException {
        String dialled = address.toString();
        String name = dialled.substring(0, dialled.indexOf('/'));
        String host = name.isEmpty() ? address.getHostAddress() : name;
        boolean checkName = checkedNames.contains(host.toLowerCase(Locale.ROOT));
        Socket tcp = new Socket();
        try {
            if (myAddress != null) {
                tcp.bind(new InetSocketAddress(myAddress, 0));
            }
            tcp.connect(new InetSocketAddress(address, port), CONNECT_TIMEOUT_MS);
            // the host given here is the one the JDK checks the certificate against, and the SNI when it is a name
            SSLSocket tls = (SSLSocket) context().getSocketFactory().createSocket(tcp, host, port, true);
            SSLParameters params = tls.getSSLParameters();
            if (checkName) {
                params.setEndpointIdentificationAlgorithm("HTTPS"); // RFC 2818 §3.1 name rules, as RFC 5922 §7.2 asks
            }
            params.setCipherSuites(CIPHER_SUITES.split(","));
            params.setProtocols(PROTOCOLS.split(","));
            tls.setSSLParameters(params);
            return tls;
        } catch (IOException e) {
            tcp.close();
            throw e;
        }
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
        return plain.createServerSocket(port, backlog, bindAddress);
    }

    @Override
    public Socket createSocket(InetAddress address, int port) throws IOException {
        return plain.createSocket(address, port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress myAddress) throws IOException {
        return plain.createSocket(address, port, myAddress);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress myAddress, int myPort) throws IOException {
        return plain.createSocket(address, port, myAddress, myPort);
    }

    @Override
    public DatagramSocket createDatagramSocket() throws SocketException {
        return plain.createDatagramSocket();
    }

    /** The SIP UDP port's socket: it answers STUN keep-alives itself (RFC 5626 §4.4.2, {@link StunKeepAliveSocket}). */
    @Override
    public DatagramSocket createDatagramSocket(int port, InetAddress bindAddress) throws SocketException {
        if (bindAddress.isMulticastAddress()) {
            return plain.createDatagramSocket(port, bindAddress);
        }
        return new StunKeepAliveSocket(port, bindAddress);
    }

    @Override
    public void setSipStack(SipStackImpl stack) {
    }
}
