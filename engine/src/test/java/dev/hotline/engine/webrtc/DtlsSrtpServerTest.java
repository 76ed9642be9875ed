package dev.hotline.engine.webrtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.SRTPProtectionProfile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class DtlsSrtpServerTest {
    private static final ExecutorService POOL = Executors.newCachedThreadPool();
    private static final DtlsCertificate SERVER_CERT = DtlsCertificate.generate();
    private static final DtlsCertificate CLIENT_CERT = DtlsCertificate.generate("browser", Duration.ofDays(1));

    @AfterAll
    static void stop() {
        POOL.shutdownNow();
    }

    /** Wires a server and a client through memory and runs the client's handshake on a pool thread. */
    private static CompletableFuture<TestDtlsClient> handshake(DtlsSrtpServer[] server, TestDtlsClient client,
            List<SrtpProfile> profiles, String expectedClientFingerprint) {
        InMemoryDatagramTransport[] clientSide = new InMemoryDatagramTransport[1];
        server[0] = new DtlsSrtpServer(SERVER_CERT, profiles, Duration.ofSeconds(10),
                (data, off, len) -> clientSide[0].deliver(data, off, len), POOL);
        if (expectedClientFingerprint != null) {
            server[0].expectRemoteFingerprint(expectedClientFingerprint);
        }
        clientSide[0] = new InMemoryDatagramTransport(p -> server[0].onPacket(p, 0, p.length));
        return CompletableFuture.supplyAsync(() -> {
            try {
                client.connect(clientSide[0]);
                return client;
            } catch (java.io.IOException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, POOL);
    }

    @Test
    void handshakeAgreesOnSrtpKeysAndFingerprints() throws Exception {
        DtlsSrtpServer[] server = new DtlsSrtpServer[1];
        TestDtlsClient client = new TestDtlsClient(CLIENT_CERT, SERVER_CERT.fingerprint(),
                SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_32, SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80);
        CompletableFuture<TestDtlsClient> done = handshake(server, client, DtlsSrtpServer.DEFAULT_PROFILES,
                "sha-256 " + CLIENT_CERT.fingerprint().toLowerCase());

        SrtpKeyingMaterial serverKeys = server[0].handshake().get(20, TimeUnit.SECONDS);
        TestDtlsClient finished = done.get(20, TimeUnit.SECONDS);
        SrtpKeyingMaterial clientKeys = finished.keys;

        // Our preference (_80 first) wins over the client's order.
        assertThat(serverKeys.profile()).isEqualTo(SrtpProfile.AES128_CM_HMAC_SHA1_80);
        assertThat(clientKeys.profile()).isEqualTo(SrtpProfile.AES128_CM_HMAC_SHA1_80);
        assertThat(serverKeys.clientMasterKey()).isEqualTo(clientKeys.clientMasterKey()).hasSize(16);
        assertThat(serverKeys.clientMasterSalt()).isEqualTo(clientKeys.clientMasterSalt()).hasSize(14);
        assertThat(serverKeys.serverMasterKey()).isEqualTo(clientKeys.serverMasterKey())
                .isNotEqualTo(serverKeys.clientMasterKey());
        assertThat(serverKeys.serverMasterSalt()).isEqualTo(clientKeys.serverMasterSalt());
        assertThat(finished.serverFingerprint).isEqualTo(SERVER_CERT.fingerprint());
        assertThat(server[0].remoteFingerprint()).isEqualTo(CLIENT_CERT.fingerprint());
        assertThat(SERVER_CERT.sdpFingerprint()).matches("sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}");
        server[0].close();
    }

    @Test
    void clientRefusesAServerWhoseFingerprintDiffers() {
        DtlsSrtpServer[] server = new DtlsSrtpServer[1];
        TestDtlsClient client = new TestDtlsClient(CLIENT_CERT, CLIENT_CERT.fingerprint(),
                SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80);
        CompletableFuture<TestDtlsClient> done = handshake(server, client, DtlsSrtpServer.DEFAULT_PROFILES, null);
        assertThatThrownBy(() -> done.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        assertThatThrownBy(() -> server[0].handshake().get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
    }

    @Test
    void serverRefusesAClientWhoseFingerprintDiffersFromTheOffer() {
        DtlsSrtpServer[] server = new DtlsSrtpServer[1];
        TestDtlsClient client = new TestDtlsClient(CLIENT_CERT, SERVER_CERT.fingerprint(),
                SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80);
        CompletableFuture<TestDtlsClient> done = handshake(server, client, DtlsSrtpServer.DEFAULT_PROFILES,
                SERVER_CERT.sdpFingerprint()); // not the client's
        assertThatThrownBy(() -> server[0].handshake().get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        assertThatThrownBy(() -> done.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
    }

    @Test
    void noCommonSrtpProfileFailsTheHandshake() {
        DtlsSrtpServer[] server = new DtlsSrtpServer[1];
        TestDtlsClient client = new TestDtlsClient(CLIENT_CERT, SERVER_CERT.fingerprint(),
                SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM);
        CompletableFuture<TestDtlsClient> done = handshake(server, client, DtlsSrtpServer.DEFAULT_PROFILES, null);
        assertThatThrownBy(() -> server[0].handshake().get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        assertThatThrownBy(() -> done.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
    }

    @Test
    void aSilentPeerTimesOutWithinTheBound() throws Exception {
        DtlsSrtpServer server = new DtlsSrtpServer(SERVER_CERT, DtlsSrtpServer.DEFAULT_PROFILES,
                Duration.ofMillis(1500), (d, o, l) -> { }, POOL);
        // A lone ClientHello-looking record that never gets a follow-up: garbage to BC, then silence.
        byte[] junk = new byte[40];
        junk[0] = 22;
        long start = System.nanoTime();
        server.onPacket(junk, 0, junk.length);
        assertThatThrownBy(() -> server.handshake().get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
    }

    @Test
    void closeStopsAWaitingHandshakeAtOnce() {
        DtlsSrtpServer server = new DtlsSrtpServer(SERVER_CERT, DtlsSrtpServer.DEFAULT_PROFILES,
                Duration.ofMinutes(5), (d, o, l) -> { }, POOL);
        byte[] junk = new byte[40];
        junk[0] = 22;
        server.onPacket(junk, 0, junk.length);
        server.close();
        assertThatThrownBy(() -> server.handshake().get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
    }
}
