package dev.hotline.engine.tts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotline.engine.tts.Say.Currency;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SayTest {
    private static final Say ZH = Say.in(Language.ZH);
    private static final Say EN = Say.in(Language.EN);

    /** The prompt file names, space separated. */
    static String keys(Utterance u) {
        return u.keys().stream().map(PromptKey::fileName).collect(Collectors.joining(" "));
    }

    @ParameterizedTest(name = "zh {0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            0        | n0
            1        | n1
            2        | n2
            9        | n9
            10       | n10
            11       | n10 n1
            12       | n10 n2
            19       | n10 n9
            20       | n2 n10
            22       | n2 n10 n2
            99       | n9 n10 n9
            100      | n1 hundred
            101      | n1 hundred n0 n1
            105      | n1 hundred n0 n5
            110      | n1 hundred n1 n10
            111      | n1 hundred n1 n10 n1
            200      | liang hundred
            222      | liang hundred n2 n10 n2
            1000     | n1 thousand
            1001     | n1 thousand n0 n1
            1005     | n1 thousand n0 n5
            1010     | n1 thousand n0 n1 n10
            1100     | n1 thousand n1 hundred
            1200     | n1 thousand n2 hundred
            2000     | liang thousand
            2222     | liang thousand n2 hundred n2 n10 n2
            10000    | n1 ten_thousand
            10005    | n1 ten_thousand n0 n5
            10010    | n1 ten_thousand n0 n1 n10
            10100    | n1 ten_thousand n0 n1 hundred
            11000    | n1 ten_thousand n1 thousand
            12000    | n1 ten_thousand liang thousand
            20000    | liang ten_thousand
            20002    | liang ten_thousand n0 n2
            100000   | n10 ten_thousand
            100010   | n10 ten_thousand n0 n1 n10
            150000   | n10 n5 ten_thousand
            205000   | n2 n10 ten_thousand n5 thousand
            220000   | n2 n10 n2 ten_thousand
            1000000  | n1 hundred ten_thousand
            1001000  | n1 hundred ten_thousand n1 thousand
            1010000  | n1 hundred n0 n1 ten_thousand
            2000000  | liang hundred ten_thousand
            10000000 | n1 thousand ten_thousand
            10000001 | n1 thousand ten_thousand n0 n1
            20000000 | liang thousand ten_thousand
            12345678 | n1 thousand n2 hundred n3 n10 n4 ten_thousand n5 thousand n6 hundred n7 n10 n8
            99999999 | n9 thousand n9 hundred n9 n10 n9 ten_thousand n9 thousand n9 hundred n9 n10 n9
            -1       | minus n1
            -12      | minus n10 n2
            -20000   | minus liang ten_thousand
            """)
    void chineseNumbers(long n, String expected) {
        assertThat(keys(ZH.number(n))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "en {0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            0        | n0
            7        | n7
            10       | n10
            13       | n13
            19       | n19
            20       | n20
            21       | n20 n1
            99       | n90 n9
            100      | n1 hundred
            101      | n1 hundred n1
            110      | n1 hundred n10
            999      | n9 hundred n90 n9
            1000     | n1 thousand
            1010     | n1 thousand n10
            1234     | n1 thousand n2 hundred n30 n4
            10000    | n10 thousand
            100000   | n1 hundred thousand
            100001   | n1 hundred thousand n1
            1000000  | n1 million
            1000001  | n1 million n1
            12345678 | n12 million n3 hundred n40 n5 thousand n6 hundred n70 n8
            99999999 | n90 n9 million n9 hundred n90 n9 thousand n9 hundred n90 n9
            -5       | minus n5
            -1234    | minus n1 thousand n2 hundred n30 n4
            """)
    void englishNumbers(long n, String expected) {
        assertThat(keys(EN.number(n))).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(longs = {100_000_000L, -100_000_000L, Long.MAX_VALUE, Long.MIN_VALUE + 1})
    void numbersOutOfRangeAreRejectedClearly(long n) {
        for (Say say : new Say[] {ZH, EN}) {
            assertThatThrownBy(() -> say.number(n))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("out of range")
                    .hasMessageContaining("99999999");
        }
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            zh | 138           | yao n3 n8
            zh | 13800138000   | yao n3 n8 n0 n0 yao n3 n8 n0 n0 n0
            zh | 0             | n0
            zh | 110           | yao yao n0
            zh | *#            | star pound
            zh | 138-0013 8000 | yao n3 n8 n0 n0 yao n3 n8 n0 n0 n0
            en | 138           | n1 n3 n8
            en | 0             | n0
            en | 1#            | n1 pound
            """)
    void digits(String lang, String digits, String expected) {
        assertThat(keys(Say.in(Language.fromTag(lang)).digits(digits))).isEqualTo(expected);
    }

    @Test
    void chineseDigitsCanUseYiForOne() {
        assertThat(keys(ZH.digits("101", false))).isEqualTo("n1 n0 n1");
        assertThat(keys(EN.digits("101", true))).isEqualTo("n1 n0 n1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "12a", "1.5", "+86"})
    void badDigitStringsAreRejected(String digits) {
        assertThatThrownBy(() -> ZH.digits(digits)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            zh | 3.14   | n3 point n1 n4
            zh | 0.5    | n0 point n5
            zh | 10.50  | n10 point n5
            zh | 100    | n1 hundred
            zh | -2.5   | minus n2 point n5
            zh | 2      | n2
            en | 3.14   | n3 point n1 n4
            en | 0.05   | n0 point n0 n5
            en | 12.0   | n12
            """)
    void decimals(String lang, String value, String expected) {
        assertThat(keys(Say.in(Language.fromTag(lang)).decimal(new BigDecimal(value)))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "zh ¥{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            12.30       | n10 n2 yuan n3 jiao
            12.05       | n10 n2 yuan n0 n5 fen
            12.35       | n10 n2 yuan n3 jiao n5 fen
            12          | n10 n2 yuan
            12.00       | n10 n2 yuan
            0           | n0 yuan
            0.05        | n5 fen
            0.50        | n5 jiao
            0.22        | liang jiao liang fen
            2           | liang yuan
            2.02        | liang yuan n0 liang fen
            22          | n2 n10 n2 yuan
            10.05       | n10 yuan n0 n5 fen
            10002       | n1 ten_thousand n0 n2 yuan
            12.345      | n10 n2 yuan n3 jiao n5 fen
            12.344      | n10 n2 yuan n3 jiao n4 fen
            -3          | minus n3 yuan
            99999999.99 | n9 thousand n9 hundred n9 n10 n9 ten_thousand n9 thousand n9 hundred n9 n10 n9 yuan n9 jiao n9 fen
            """)
    void chineseYuan(String value, String expected) {
        assertThat(keys(ZH.amount(new BigDecimal(value)))).isEqualTo(expected);
        assertThat(keys(ZH.amount(new BigDecimal(value), Currency.CNY))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "en ${0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            12.05  | n12 dollars and n5 cents
            12     | n12 dollars
            1      | n1 dollar
            1.01   | n1 dollar and n1 cent
            0.01   | n1 cent
            0.50   | n50 cents
            0      | n0 dollars
            1234.5 | n1 thousand n2 hundred n30 n4 dollars and n50 cents
            -7.25  | minus n7 dollars and n20 n5 cents
            """)
    void englishDollars(String value, String expected) {
        assertThat(keys(EN.amount(new BigDecimal(value)))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            en | CNY | 12.30 | n12 point n3 yuan
            en | CNY | 12.05 | n12 point n0 n5 yuan
            en | CNY | 12    | n12 yuan
            en | CNY | 0     | n0 yuan
            zh | USD | 12.05 | n10 n2 dollars n5 cents
            zh | USD | 2.02  | liang dollars liang cents
            zh | USD | 0.30  | n3 n10 cents
            zh | USD | 0     | n0 dollars
            """)
    void otherCurrencies(String lang, Currency currency, String value, String expected) {
        assertThat(keys(Say.in(Language.fromTag(lang)).amount(new BigDecimal(value), currency))).isEqualTo(expected);
    }

    @Test
    void amountsOutOfRangeAreRejected() {
        assertThatThrownBy(() -> ZH.amount(new BigDecimal("99999999.995")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of range");
        assertThatThrownBy(() -> EN.amount(new BigDecimal("1e20")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of range");
        assertThatThrownBy(() -> EN.decimal(new BigDecimal("-100000000.5")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of range");
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            zh | 2024-03-05 | n2 n0 n2 n4 year march n5 hao tuesday
            zh | 2024-12-20 | n2 n0 n2 n4 year december n2 n10 hao friday
            zh | 2000-01-01 | n2 n0 n0 n0 year january n1 hao saturday
            zh | 2026-02-02 | n2 n0 n2 n6 year february n2 hao monday
            zh | 1999-10-31 | n1 n9 n9 n9 year october n3 n10 n1 hao sunday
            en | 2024-03-05 | tuesday march ord5 n20 n20 n4
            en | 2000-01-01 | saturday january ord1 n2 thousand
            en | 2005-12-31 | saturday december n30 ord1 n2 thousand n5
            en | 2010-07-20 | tuesday july ord20 n20 n10
            en | 1999-11-22 | monday november n20 ord2 n19 n90 n9
            en | 1905-02-10 | friday february ord10 n19 oh n5
            en | 1900-06-30 | saturday june ord30 n19 hundred
            """)
    void datesWithWeekday(String lang, LocalDate date, String expected) {
        assertThat(keys(Say.in(Language.fromTag(lang)).date(date, true))).isEqualTo(expected);
    }

    @Test
    void dateWithoutWeekday() {
        assertThat(keys(ZH.date(LocalDate.of(2024, 3, 5)))).isEqualTo("n2 n0 n2 n4 year march n5 hao");
        assertThat(keys(EN.date(LocalDate.of(2024, 3, 5)))).isEqualTo("march ord5 n20 n20 n4");
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            zh | 14:05 | pm liang oclock n0 n5 clock_minute
            zh | 14:00 | pm liang oclock
            zh | 00:30 | am n0 oclock n3 n10 clock_minute
            zh | 09:10 | am n9 oclock n10 clock_minute
            zh | 10:45 | am n10 oclock n4 n10 n5 clock_minute
            zh | 12:15 | pm n10 n2 oclock n10 n5 clock_minute
            zh | 23:59 | pm n10 n1 oclock n5 n10 n9 clock_minute
            en | 14:05 | n2 oh n5 pm
            en | 14:00 | n2 oclock pm
            en | 00:30 | n12 n30 am
            en | 00:00 | n12 oclock am
            en | 12:15 | n12 n15 pm
            en | 23:59 | n11 n50 n9 pm
            en | 09:41:59 | n9 n40 n1 am
            """)
    void times(String lang, LocalTime time, String expected) {
        assertThat(keys(Say.in(Language.fromTag(lang)).time(time))).isEqualTo(expected);
    }

    @Test
    void dateTimeJoinsDateAndTime() {
        assertThat(keys(ZH.dateTime(LocalDateTime.of(2024, 3, 5, 14, 5), false)))
                .isEqualTo("n2 n0 n2 n4 year march n5 hao pm liang oclock n0 n5 clock_minute");
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            zh | PT3M20S   | n3 minutes n2 n10 seconds
            zh | PT0S      | n0 seconds
            zh | PT2S      | liang seconds
            zh | PT2H2M2S  | liang hours liang minutes liang seconds
            zh | PT1H      | n1 hours
            zh | PT12M     | n10 n2 minutes
            en | PT3M20S   | n3 minutes n20 seconds
            en | PT0S      | n0 seconds
            en | PT1S      | n1 second
            en | PT1M1S    | n1 minute n1 second
            en | PT1H      | n1 hour
            en | PT2H2M2S  | n2 hours n2 minutes n2 seconds
            en | PT1.4S    | n1 second
            en | PT1.5S    | n2 seconds
            en | PT0.2S    | n0 seconds
            """)
    void durations(String lang, Duration d, String expected) {
        assertThat(keys(Say.in(Language.fromTag(lang)).duration(d))).isEqualTo(expected);
    }

    @Test
    void negativeDurationsAreRejected() {
        assertThatThrownBy(() -> EN.duration(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ZH.expectedWait(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0} position {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            zh | 1   | you_are_number n1 in_the_queue
            zh | 2   | you_are_number n2 in_the_queue
            zh | 3   | you_are_number n3 in_the_queue
            zh | 12  | you_are_number n10 n2 in_the_queue
            zh | 105 | you_are_number n1 hundred n0 n5 in_the_queue
            en | 3   | you_are_number n3 in_the_queue
            en | 21  | you_are_number n20 n1 in_the_queue
            """)
    void queuePosition(String lang, int position, String expected) {
        assertThat(keys(Say.in(Language.fromTag(lang)).queuePosition(position))).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1})
    void queuePositionStartsAtOne(int position) {
        assertThatThrownBy(() -> EN.queuePosition(position)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0} wait {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            en | PT2M     | expected_wait about n2 minutes
            en | PT10S    | expected_wait about n1 minute
            en | PT0S     | expected_wait about n1 minute
            en | PT90S    | expected_wait about n2 minutes
            en | PT2M29S  | expected_wait about n2 minutes
            en | PT65M    | expected_wait about n1 hour n5 minutes
            zh | PT2M     | expected_wait about liang minutes
            zh | PT12M    | expected_wait about n10 n2 minutes
            """)
    void expectedWait(String lang, Duration wait, String expected) {
        assertThat(keys(Say.in(Language.fromTag(lang)).expectedWait(wait))).isEqualTo(expected);
    }

    @Test
    void utterancesCompose() {
        Utterance u = EN.phrase(PromptKey.PRESS).then(EN.digits("1")).then(PromptKey.FOR);
        assertThat(keys(u)).isEqualTo("press n1 for");
        assertThat(u.toString()).isEqualTo("en: press n1 for");
        assertThatThrownBy(() -> u.then(ZH.digits("1"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void languageTags() {
        assertThat(Language.fromTag("zh-CN")).isEqualTo(Language.ZH);
        assertThat(Language.fromTag("cmn")).isEqualTo(Language.ZH);
        assertThat(Language.fromTag("en-US")).isEqualTo(Language.EN);
        assertThatThrownBy(() -> Language.fromTag("fr")).isInstanceOf(IllegalArgumentException.class);
    }
}
