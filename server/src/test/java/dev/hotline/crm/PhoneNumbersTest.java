package dev.hotline.crm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PhoneNumbersTest {
    @Test
    void chineseMobileInEveryWrittenFormHasOneMatchingForm() {
        for (String s : new String[] {"013800138000", "+8613800138000", "13800138000", "008613800138000", "+86 138-0013-8000",
                "138 0013 8000", "(+86) 138.0013.8000", "tel:+8613800138000", "sip:013800138000@10.0.0.1", "+86 0138 0013 8000"}) {
            assertThat(PhoneNumbers.matchingForm(s)).as(s).isEqualTo("+8613800138000");
        }
    }

    @Test
    void landlinesKeepTheirAreaCodeAndTheExtensionApart() {
        assertThat(PhoneNumbers.matchingForm("010-12345678")).isEqualTo("+861012345678");
        assertThat(PhoneNumbers.matchingForm("+86 10 1234 5678")).isEqualTo("+861012345678");
        assertThat(PhoneNumbers.matchingForm("0755 8888 9999")).isEqualTo("+8675588889999");
        var p = PhoneNumbers.parse("010-12345678 ext 321").orElseThrow();
        assertThat(p.normalized()).isEqualTo("+861012345678");
        assertThat(p.extension()).isEqualTo("321");
        assertThat(PhoneNumbers.parse("010-12345678转88").orElseThrow().extension()).isEqualTo("88");
        assertThat(PhoneNumbers.parse("01012345678,9").orElseThrow().extension()).isEqualTo("9");
        assertThat(PhoneNumbers.parse("+1 (415) 555-0100 x12").orElseThrow()).isEqualTo(new PhoneNumbers.Parsed("+14155550100", "14155550100", "12"));
    }

    @Test
    void shortAndLocalNumbersStayAsDialled() {
        assertThat(PhoneNumbers.matchingForm("95555")).isEqualTo("95555");
        assertThat(PhoneNumbers.matchingForm("1001")).isEqualTo("1001");
        assertThat(PhoneNumbers.matchingForm("12345678")).isEqualTo("12345678");
    }

    @Test
    void notANumber() {
        assertThat(PhoneNumbers.parse("call me")).isEmpty();
        assertThat(PhoneNumbers.parse("12")).isEmpty();
        assertThat(PhoneNumbers.parse("")).isEmpty();
        assertThat(PhoneNumbers.parse("138-0013-800a")).isEmpty();
        assertThat(PhoneNumbers.parse("1234567890123456789012")).isEmpty();
    }

    @Test
    void searchDigitsDropTheCountryPrefix() {
        assertThat(PhoneNumbers.searchDigits("+86 138")).isEqualTo("138");
        assertThat(PhoneNumbers.searchDigits("0086138")).isEqualTo("138");
        assertThat(PhoneNumbers.searchDigits("0013-8")).isEqualTo("00138");
    }
}
