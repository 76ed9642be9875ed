package dev.hotline.engine.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Which Contact hosts are IP literals (a private one behind NAT is replaced by the packet's source); names are never resolved. */
class NatTraversalTest {
    @Test
    void ipLiteralsAreReadAndNamesAreNot() throws Exception {
        assertThat(NatTraversal.literal("192.168.1.20")).isEqualTo(InetAddress.getByName("192.168.1.20"));
        assertThat(NatTraversal.literal("[fd00::1]")).isEqualTo(InetAddress.getByName("fd00::1"));
        assertThat(NatTraversal.literal("fe80::1%1")).isNotNull();
        assertThat(NatTraversal.literal("pbx.example.com")).isNull();
        assertThat(NatTraversal.literal("10.0.0")).isNull();
        assertThat(NatTraversal.literal("1.2.3.4.5")).isNull();
        assertThat(NatTraversal.literal("")).isNull();
        assertThat(NatTraversal.literal(null)).isNull();
    }
}
