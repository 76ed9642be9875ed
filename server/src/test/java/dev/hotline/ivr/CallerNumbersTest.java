package dev.hotline.ivr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** ACD-4: callers' numbers, area codes and number-list entries in the national form routing compares. */
class CallerNumbersTest {
    @Test
    void aNumberIsReadAsTheCrmReadsIt() {
        for (String mobile : new String[] {"13800138000", "013800138000", "+8613800138000", "008613800138000", "+86 138 0013 8000"}) {
            assertThat(CallerNumbers.national(mobile)).as(mobile).contains("13800138000");
        }
        for (String beijing : new String[] {"01088886666", "+861088886666", "+86 010 8888 6666", "00861088886666"}) {
            assertThat(CallerNumbers.national(beijing)).as(beijing).contains("01088886666");
        }
        assertThat(CallerNumbers.national("+85221234567")).contains("0085221234567");
        assertThat(CallerNumbers.national("1001")).contains("1001");
        assertThat(CallerNumbers.national("anonymous")).isEmpty();
    }

    @Test
    void areasArePrefixesOfTheNationalForm() {
        assertThat(CallerNumbers.prefix("010")).isEqualTo("010");
        assertThat(CallerNumbers.prefix("+8610")).isEqualTo("010");
        assertThat(CallerNumbers.prefix("0086755")).isEqualTo("0755");
        assertThat(CallerNumbers.prefix("+86 138")).isEqualTo("138");
        assertThat(CallerNumbers.prefix("0755-8")).isEqualTo("07558");
        assertThat(CallerNumbers.prefix("10")).as("a Beijing area code needs its 0").isNull();
        assertThat(CallerNumbers.prefix("12")).isNull();
        assertThat(CallerNumbers.prefix("0")).isNull();
        assertThat(CallerNumbers.inArea("075512345678", "0755")).isTrue();
        assertThat(CallerNumbers.inArea("07571234567", "0755")).isFalse();
        assertThat(CallerNumbers.inArea("0755", "0755")).as("the area code alone is no caller in it").isFalse();
        assertThat(CallerNumbers.area("01088886666")).isEqualTo("010");
        assertThat(CallerNumbers.area("02188886666")).isEqualTo("021");
        assertThat(CallerNumbers.area("075512345678")).isEqualTo("0755");
        assertThat(CallerNumbers.area("13800138000")).isEqualTo("138");
        assertThat(CallerNumbers.area("1001")).isEmpty();
    }

    @Test
    void numberListEntriesAreNumbersOrPrefixes() {
        assertThat(NumberLists.entry("+86 138 0013 8000")).contains(new NumberLists.Entry("+86 138 0013 8000", "13800138000", false));
        assertThat(NumberLists.entry("+86755*")).contains(new NumberLists.Entry("+86755*", "0755", true));
        assertThat(NumberLists.entry("138*")).contains(new NumberLists.Entry("138*", "138", true));
        assertThat(NumberLists.entry("12*")).isEmpty();
        assertThat(NumberLists.entry("call me")).isEqualTo(Optional.empty());
    }
}
