package dev.hotline.engine.dtmf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class SipInfoDtmfTest {
    @Test
    void dtmfRelay() {
        assertThat(SipInfoDtmf.parse("application/dtmf-relay", "Signal=5\r\nDuration=160\r\n"))
                .contains(new SipInfoDtmf.Key(DtmfDigit.D5, 160));
        assertThat(SipInfoDtmf.parse("Application/DTMF-Relay; charset=x", "signal = #\nduration= 250"))
                .contains(new SipInfoDtmf.Key(DtmfDigit.POUND, 250));
        assertThat(SipInfoDtmf.parse("application/dtmf-relay", "Signal=*")).contains(new SipInfoDtmf.Key(DtmfDigit.STAR, 100));
        assertThat(SipInfoDtmf.parse("application/dtmf-relay", "Signal=11\r\nDuration=x"))
                .contains(new SipInfoDtmf.Key(DtmfDigit.POUND, 100));
        assertThat(SipInfoDtmf.parse("application/dtmf-relay", SipInfoDtmf.relayBody(DtmfDigit.D, 120)))
                .contains(new SipInfoDtmf.Key(DtmfDigit.D, 120));
    }

    @Test
    void plainDtmf() {
        assertThat(SipInfoDtmf.parse("application/dtmf", "7\r\n")).contains(new SipInfoDtmf.Key(DtmfDigit.D7, 100));
        assertThat(SipInfoDtmf.parse("application/dtmf", "10")).contains(new SipInfoDtmf.Key(DtmfDigit.STAR, 100));
        assertThat(SipInfoDtmf.parse("application/dtmf", "b")).contains(new SipInfoDtmf.Key(DtmfDigit.B, 100));
    }

    @Test
    void hostileOrForeignBodies() {
        assertThat(SipInfoDtmf.parse("application/dtmf-relay", "")).isEmpty();
        assertThat(SipInfoDtmf.parse("application/dtmf-relay", "Signal=X\r\nDuration=160")).isEmpty();
        assertThat(SipInfoDtmf.parse("application/dtmf-relay", "Signal\r\n=\r\n")).isEmpty();
        assertThat(SipInfoDtmf.parse("application/dtmf", "99")).isEmpty();
        assertThat(SipInfoDtmf.parse("application/dtmf", "12345")).isEmpty();
        assertThat(SipInfoDtmf.parse("application/sdp", "Signal=5")).isEmpty();
        assertThat(SipInfoDtmf.parse(null, "Signal=5")).isEqualTo(Optional.empty());
        assertThat(SipInfoDtmf.isDtmf("application/dtmf-relay;x=y")).isTrue();
        assertThat(SipInfoDtmf.isDtmf("text/plain")).isFalse();
    }

    @Test
    void digitTable() {
        for (DtmfDigit d : DtmfDigit.values()) {
            assertThat(DtmfDigit.fromEvent(d.event())).isSameAs(d);
            assertThat(DtmfDigit.fromSymbol(d.symbol())).isSameAs(d);
        }
        assertThat(DtmfDigit.D1.lowHz()).isEqualTo(697);
        assertThat(DtmfDigit.D1.highHz()).isEqualTo(1209);
        assertThat(DtmfDigit.POUND.event()).isEqualTo(11);
        assertThat(DtmfDigit.fromSymbol('x')).isNull();
        assertThat(DtmfDigit.fromEvent(16)).isNull();
    }
}
