package dev.hotline.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {
    @TempDir
    Path dir;

    Optional<Path> none() {
        return Optional.empty();
    }

    @Test
    void defaultsNeedNoConfiguration() {
        Config c = Config.load(none(), Map.of("HOTLINE_CONFIG", dir.resolve("absent.properties").toString()), Map.of());
        assertThat(c.httpPort()).isEqualTo(8080);
        assertThat(c.sipPort()).isEqualTo(5060);
        assertThat(c.sipTlsPort()).isZero(); // SIP over TLS off unless asked for
        assertThat(Config.load(none(), Map.of("HOTLINE_SIP_TLS_PORT", "5061"), Map.of()).sipTlsPort()).isEqualTo(5061);
        assertThat(c.sipTlsTruststore()).isEmpty(); // the JDK's authorities plus Hotline's own certificate
        Config trust = Config.load(none(), Map.of("HOTLINE_SIP_TLS_PORT", "5061", "HOTLINE_SIP_TLS_TRUSTSTORE", "/etc/hotline/carriers.p12",
                "HOTLINE_SIP_TLS_TRUSTSTORE_PASSWORD", "pw"), Map.of());
        assertThat(trust.sipTlsTruststore()).isEqualTo("/etc/hotline/carriers.p12");
        assertThat(trust.sipTlsTruststorePassword()).isEqualTo("pw");
        assertThat(c.rtpPortMin()).isEqualTo(20000);
        assertThat(c.rtpPortMax()).isEqualTo(29999);
        assertThat(c.dbUrl()).startsWith("jdbc:h2:file:").contains("MODE=PostgreSQL");
        assertThat(c.postgres()).isFalse();
        assertThat(c.demo()).isTrue();
        assertThat(c.demoPassword()).isEmpty();
    }

    @Test
    void fileThenEnvironmentThenOverrides() throws Exception {
        Path f = dir.resolve("hotline.properties");
        Files.writeString(f, "http.port=9000\nsip.port=5070\ndb.url=jdbc:postgresql://db/hotline\n");
        Config fromFile = Config.load(Optional.of(f), Map.of(), Map.of());
        assertThat(fromFile.httpPort()).isEqualTo(9000);
        assertThat(fromFile.postgres()).isTrue();
        Config env = Config.load(Optional.of(f), Map.of("HOTLINE_HTTP_PORT", "9100", "HOTLINE_DEMO_PASSWORD", "pw-from-env"), Map.of());
        assertThat(env.httpPort()).isEqualTo(9100);
        assertThat(env.sipPort()).isEqualTo(5070);
        assertThat(env.demoPassword()).contains("pw-from-env");
        Config over = Config.load(Optional.of(f), Map.of("HOTLINE_HTTP_PORT", "9100"), Map.of("http.port", "9200", "demo", "false"));
        assertThat(over.httpPort()).isEqualTo(9200);
        assertThat(over.demo()).isFalse();
    }

    @Test
    void aClusterNodeNeedsPostgresAndAValidIdAndLease() {
        Map<String, String> pg = Map.of("db.url", "jdbc:postgresql://db/hotline", "cluster.node.id", "node-1");
        Config c = Config.load(none(), Map.of(), pg);
        assertThat(c.cluster().enabled()).isTrue();
        assertThat(c.cluster().leaseSeconds()).isEqualTo(6);
        assertThat(Config.load(none(), Map.of(), Map.of()).cluster().enabled()).isFalse();
        assertThatThrownBy(() -> Config.load(none(), Map.of("HOTLINE_CLUSTER_NODE_ID", "n1"), Map.of()))
                .hasMessageContaining("cluster.node.id needs a shared PostgreSQL");
        assertThatThrownBy(() -> Config.load(none(), Map.of("HOTLINE_CLUSTER_NODE_ID", "a b"), Map.of("db.url", "jdbc:postgresql://db/h")))
                .hasMessageContaining("cluster.node.id must be");
        assertThatThrownBy(() -> Config.load(none(), Map.of("HOTLINE_CLUSTER_LEASE_SECONDS", "1"), Map.of()))
                .hasMessageContaining("cluster.lease.seconds must be 3-600");
    }

    @Test
    void badSettingsSayWhatIsWrong() throws Exception {
        assertThatThrownBy(() -> Config.load(none(), Map.of("HOTLINE_HTTP_PORT", "eighty"), Map.of()))
                .hasMessageContaining("HOTLINE_HTTP_PORT").hasMessageContaining("eighty");
        assertThatThrownBy(() -> Config.load(none(), Map.of("HOTLINE_SIP_PORT", "70000"), Map.of())).hasMessageContaining("sip.port");
        assertThatThrownBy(() -> Config.load(none(), Map.of("HOTLINE_SIP_TLS_PORT", "5060"), Map.of()))
                .hasMessageContaining("sip.tls.port must differ from sip.port");
        assertThatThrownBy(() -> Config.load(none(), Map.of("HOTLINE_SIP_TLS_TRUSTSTORE", "/etc/hotline/carriers.p12"), Map.of()))
                .hasMessageContaining("sip.tls.truststore").hasMessageContaining("sip.tls.port");
        assertThatThrownBy(() -> Config.load(none(), Map.of("HOTLINE_RTP_PORT_MIN", "30001"), Map.of())).hasMessageContaining("rtp.port.min");
        assertThatThrownBy(() -> Config.load(none(), Map.of("HOTLINE_DEMO", "maybe"), Map.of())).hasMessageContaining("true or false");
        assertThatThrownBy(() -> Config.load(none(), Map.of("HOTLINE_SMTP_SECURITY", "ssl"), Map.of())).hasMessageContaining("smtp.security");
        assertThatThrownBy(() -> Config.load(none(), Map.of("HOTLINE_SMTP_PORT", "0"), Map.of())).hasMessageContaining("smtp.port");
        assertThatThrownBy(() -> Config.load(none(), Map.of("HOTLINE_SMTP_TRUSTSTORE", "/nowhere/smtp-ca.p12"), Map.of()))
                .hasMessageContaining("smtp.truststore");
        Path f = dir.resolve("typo.properties");
        Files.writeString(f, "http.prot=9000\n");
        assertThatThrownBy(() -> Config.load(Optional.of(f), Map.of(), Map.of())).hasMessageContaining("unknown setting 'http.prot'");
        assertThatThrownBy(() -> Config.load(Optional.of(dir.resolve("missing.properties")), Map.of(), Map.of()))
                .hasMessageContaining("not found");
    }
}
