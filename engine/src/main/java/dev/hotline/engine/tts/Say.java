package dev.hotline.engine.tts;

import static dev.hotline.engine.tts.PromptKey.*;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns values into sequences of shipped prompts in the caller's language. Pure Java: no espeak-ng at run time,
 * every key it produces exists in {@code prompts/zh/} and {@code prompts/en/}.
 *
 * <p>Choices, per language:
 * <ul>
 *   <li>Digits: Chinese reads 1 as 幺 in digit strings (phone numbers, job numbers, codes), as Chinese telephone
 *       services do, because 一 (yī) and 七 (qī) are easy to confuse on the phone; {@link #digits(String, boolean)}
 *       reads 一 instead. English reads 0 as "zero". '*' and '#' are "star" and "pound".</li>
 *   <li>Numbers: -99 999 999 .. 99 999 999. Chinese: 十 not 一十 at the start (12 → 十二, but 110 → 一百一十),
 *       one 零 for any run of inner zeros (1005 → 一千零五, 100010 → 十万零一十), 两 for a leading 2 before 百 and 千
 *       in each four-digit group and for 2 before 万 (200 → 两百, 2200 → 两千二百, 20000 → 两万, 220000 → 二十二万),
 *       and before a measure word (两元, 两分钟, 两点). English: "one thousand two hundred thirty four" (no "and").
 *       Negatives start with 负 / "minus".</li>
 *   <li>Amounts: rounded half-up to cents. Chinese yuan: 元 角 分 (12.30 → 十二元三角, 12.05 → 十二元零五分).
 *       English yuan: "twelve point three yuan" (how prices in yuan are read in English). US dollars:
 *       "twelve dollars and five cents" / 十二美元五美分. The default currency is yuan for Chinese and dollars
 *       for English; pass the currency to choose.</li>
 *   <li>Dates: 二零二四年三月五号 星期二 (year digit by digit, 号 as spoken) / "Tuesday March fifth twenty twenty four".
 *       Times on the 12-hour clock: 下午两点零五分 / "two oh five p.m.", "two o'clock p.m."; seconds are not said.</li>
 *   <li>Durations: 三分钟二十秒 / "three minutes twenty seconds", rounded to the second.</li>
 * </ul>
 */
public final class Say {
    /** The largest absolute value {@link #number(long)} speaks. */
    public static final long MAX_NUMBER = 99_999_999L;

    /** Currencies {@link #amount(BigDecimal, Currency)} speaks. */
    public enum Currency { CNY, USD }

    private static final Say ZH_SAY = new Say(Language.ZH);
    private static final Say EN_SAY = new Say(Language.EN);

    private final Language language;

    private Say(Language language) {
        this.language = language;
    }

    public static Say in(Language language) {
        Objects.requireNonNull(language, "language");
        return language == Language.ZH ? ZH_SAY : EN_SAY;
    }

    public Language language() {
        return language;
    }

    /** A fixed phrase made of the given prompts. */
    public Utterance phrase(PromptKey... keys) {
        return Utterance.of(language, keys);
    }

    // ---------------------------------------------------------------------------------------------- digits

    /** Digit by digit ("138" → 幺 三 八 / one three eight); '*' and '#' allowed. Spaces and '-' are skipped. */
    public Utterance digits(String digits) {
        return digits(digits, true);
    }

    /** Digit by digit; in Chinese {@code yao} chooses 幺 (true) or 一 (false) for 1. English ignores it. */
    public Utterance digits(String digits, boolean yao) {
        Objects.requireNonNull(digits, "digits");
        List<PromptKey> out = new ArrayList<>();
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c >= '0' && c <= '9') {
                out.add(c == '1' && yao && language == Language.ZH ? YAO : PromptKey.number(c - '0'));
            } else if (c == '*') {
                out.add(STAR);
            } else if (c == '#') {
                out.add(POUND);
            } else if (c != ' ' && c != '-') {
                throw new IllegalArgumentException("not a digit string: '" + digits + "' (bad character '" + c + "')");
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no digits to say in '" + digits + "'");
        }
        return new Utterance(language, out);
    }

    // ---------------------------------------------------------------------------------------------- numbers

    /** An integer in -99 999 999 .. 99 999 999. */
    public Utterance number(long n) {
        checkRange(n);
        List<PromptKey> out = new ArrayList<>();
        if (n < 0) {
            out.add(MINUS);
        }
        appendNumber(Math.abs(n), out);
        return new Utterance(language, out);
    }

    /** A decimal number: the integer part, then 点 / "point" and the fraction digit by digit (3.14 → 三点一四). */
    public Utterance decimal(BigDecimal value) {
        Objects.requireNonNull(value, "value");
        BigDecimal v = value.stripTrailingZeros();
        BigDecimal abs = v.abs();
        BigDecimal whole = abs.setScale(0, RoundingMode.DOWN);
        checkRange(whole);
        List<PromptKey> out = new ArrayList<>();
        if (v.signum() < 0) {
            out.add(MINUS);
        }
        appendNumber(whole.longValueExact(), out);
        if (v.scale() > 0) {
            if (v.scale() > 12) {
                throw new IllegalArgumentException("too many decimals to say: " + value);
            }
            out.add(POINT);
            String frac = abs.toPlainString();
            frac = frac.substring(frac.indexOf('.') + 1);
            for (int i = 0; i < frac.length(); i++) {
                out.add(PromptKey.number(frac.charAt(i) - '0'));
            }
        }
        return new Utterance(language, out);
    }

    private static long checkRange(BigDecimal whole) {
        if (whole.compareTo(BigDecimal.valueOf(MAX_NUMBER)) > 0) {
            throw new IllegalArgumentException("number out of range: " + whole.toPlainString() + " (Say speaks -"
                    + MAX_NUMBER + " .. " + MAX_NUMBER + ")");
        }
        return whole.longValueExact();
    }

    private static void checkRange(long n) {
        if (n > MAX_NUMBER || n < -MAX_NUMBER) {
            throw new IllegalArgumentException("number out of range: " + n + " (Say speaks -" + MAX_NUMBER
                    + " .. " + MAX_NUMBER + ")");
        }
    }

    private void appendNumber(long n, List<PromptKey> out) {
        if (language == Language.ZH) {
            zhNumber(n, out);
        } else {
            enNumber(n, out);
        }
    }

    /** Chinese number followed by a measure word: 2 is 两. */
    private void zhCount(long n, List<PromptKey> out) {
        if (n == 2) {
            out.add(LIANG);
        } else {
            zhNumber(n, out);
        }
    }

    private static void zhNumber(long n, List<PromptKey> out) {
        if (n == 0) {
            out.add(N0);
            return;
        }
        int high = (int) (n / 10_000);
        int low = (int) (n % 10_000);
        if (high > 0) {
            if (high == 2) {
                out.add(LIANG);
            } else {
                zhGroup(high, true, out);
            }
            out.add(TEN_THOUSAND);
        }
        if (low > 0) {
            if (high > 0 && low < 1000) {
                out.add(N0);
            }
            zhGroup(low, high == 0, out);
        }
    }

    /** 1..9999; {@code leading}: the group starts the number (so 1x is 十x, not 一十x). */
    private static void zhGroup(int g, boolean leading, List<PromptKey> out) {
        boolean started = false;
        boolean zeroPending = false;
        for (int pos = 3; pos >= 0; pos--) {
            int d = (g / pow10(pos)) % 10;
            if (d == 0) {
                zeroPending |= started;
                continue;
            }
            if (zeroPending) {
                out.add(N0);
                zeroPending = false;
            }
            if (pos == 1 && d == 1 && !started && leading) {
                out.add(N10);
            } else {
                out.add(d == 2 && pos >= 2 && !started ? LIANG : PromptKey.number(d));
                if (pos == 3) {
                    out.add(THOUSAND);
                } else if (pos == 2) {
                    out.add(HUNDRED);
                } else if (pos == 1) {
                    out.add(N10);
                }
            }
            started = true;
        }
    }

    private static int pow10(int p) {
        return p == 0 ? 1 : p == 1 ? 10 : p == 2 ? 100 : 1000;
    }

    private static void enNumber(long n, List<PromptKey> out) {
        if (n == 0) {
            out.add(N0);
            return;
        }
        int millions = (int) (n / 1_000_000);
        int thousands = (int) (n / 1000 % 1000);
        int rest = (int) (n % 1000);
        if (millions > 0) {
            enBelow1000(millions, out);
            out.add(MILLION);
        }
        if (thousands > 0) {
            enBelow1000(thousands, out);
            out.add(THOUSAND);
        }
        if (rest > 0) {
            enBelow1000(rest, out);
        }
    }

    private static void enBelow1000(int h, List<PromptKey> out) {
        if (h >= 100) {
            out.add(PromptKey.number(h / 100));
            out.add(HUNDRED);
        }
        if (h % 100 > 0) {
            enBelow100(h % 100, out);
        }
    }

    private static void enBelow100(int r, List<PromptKey> out) {
        if (r < 20) {
            out.add(PromptKey.number(r));
        } else {
            out.add(PromptKey.number(r / 10 * 10));
            if (r % 10 > 0) {
                out.add(PromptKey.number(r % 10));
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- amounts

    /** An amount in the language's usual currency: yuan for Chinese, dollars for English. */
    public Utterance amount(BigDecimal value) {
        return amount(value, language == Language.ZH ? Currency.CNY : Currency.USD);
    }

    /** An amount of money, rounded half-up to cents; |value| must be below 100 000 000. */
    public Utterance amount(BigDecimal value, Currency currency) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(currency, "currency");
        BigDecimal cents2 = value.setScale(2, RoundingMode.HALF_UP);
        BigDecimal abs = cents2.abs();
        long whole = checkRange(abs.setScale(0, RoundingMode.DOWN));
        int cents = abs.remainder(BigDecimal.ONE).movePointRight(2).intValueExact();
        List<PromptKey> out = new ArrayList<>();
        if (cents2.signum() < 0) {
            out.add(MINUS);
        }
        if (language == Language.ZH) {
            if (currency == Currency.CNY) {
                zhYuan(whole, cents, out);
            } else {
                zhDollars(whole, cents, out);
            }
        } else if (currency == Currency.CNY) {
            enYuan(abs, whole, out);
        } else {
            enDollars(whole, cents, out);
        }
        return new Utterance(language, out);
    }

    private void zhYuan(long yuan, int cents, List<PromptKey> out) {
        int jiao = cents / 10;
        int fen = cents % 10;
        if (yuan == 0 && cents == 0) {
            out.add(N0);
            out.add(YUAN);
            return;
        }
        if (yuan > 0) {
            zhCount(yuan, out);
            out.add(YUAN);
        }
        if (jiao > 0) {
            zhCount(jiao, out);
            out.add(JIAO);
        }
        if (fen > 0) {
            if (jiao == 0 && yuan > 0) {
                out.add(N0);
            }
            zhCount(fen, out);
            out.add(FEN);
        }
    }

    private void zhDollars(long dollars, int cents, List<PromptKey> out) {
        if (dollars > 0 || cents == 0) {
            zhCount(dollars, out);
            out.add(DOLLARS);
        }
        if (cents > 0) {
            zhCount(cents, out);
            out.add(CENTS);
        }
    }

    private static void enYuan(BigDecimal abs, long whole, List<PromptKey> out) {
        enNumber(whole, out);
        BigDecimal frac = abs.remainder(BigDecimal.ONE).stripTrailingZeros();
        if (frac.signum() > 0) {
            out.add(POINT);
            String digits = frac.toPlainString().substring(2);
            for (int i = 0; i < digits.length(); i++) {
                out.add(PromptKey.number(digits.charAt(i) - '0'));
            }
        }
        out.add(YUAN);
    }

    private static void enDollars(long dollars, int cents, List<PromptKey> out) {
        if (dollars > 0 || cents == 0) {
            enNumber(dollars, out);
            out.add(dollars == 1 ? DOLLAR : DOLLARS);
        }
        if (cents > 0) {
            if (dollars > 0) {
                out.add(AND);
            }
            enNumber(cents, out);
            out.add(cents == 1 ? CENT : CENTS);
        }
    }

    // ---------------------------------------------------------------------------------------------- dates, times

    private static final PromptKey[] MONTHS = {JANUARY, FEBRUARY, MARCH, APRIL, MAY, JUNE, JULY, AUGUST,
            SEPTEMBER, OCTOBER, NOVEMBER, DECEMBER};
    private static final PromptKey[] WEEKDAYS = {MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY};

    /** A date without the weekday. */
    public Utterance date(LocalDate date) {
        return date(date, false);
    }

    /** A date: 二零二四年三月五号 (星期二) / "(Tuesday) March fifth twenty twenty four". Years 1..9999. */
    public Utterance date(LocalDate date, boolean withWeekday) {
        Objects.requireNonNull(date, "date");
        int year = date.getYear();
        if (year < 1 || year > 9999) {
            throw new IllegalArgumentException("year out of range: " + year + " (1..9999)");
        }
        PromptKey month = MONTHS[date.getMonthValue() - 1];
        PromptKey weekday = WEEKDAYS[date.getDayOfWeek().getValue() - 1];
        List<PromptKey> out = new ArrayList<>();
        if (language == Language.ZH) {
            String y = Integer.toString(year);
            for (int i = 0; i < y.length(); i++) {
                out.add(PromptKey.number(y.charAt(i) - '0'));
            }
            out.add(YEAR);
            out.add(month);
            zhNumber(date.getDayOfMonth(), out);
            out.add(HAO);
            if (withWeekday) {
                out.add(weekday);
            }
        } else {
            if (withWeekday) {
                out.add(weekday);
            }
            out.add(month);
            enOrdinal(date.getDayOfMonth(), out);
            enYear(year, out);
        }
        return new Utterance(language, out);
    }

    private static void enOrdinal(int n, List<PromptKey> out) {
        if (n <= 20 || n % 10 == 0) {
            out.add(PromptKey.ordinal(n));
        } else {
            out.add(PromptKey.number(n / 10 * 10));
            out.add(PromptKey.ordinal(n % 10));
        }
    }

    /** 1999 → nineteen ninety nine, 1905 → nineteen oh five, 1900 → nineteen hundred, 2005 → two thousand five. */
    private static void enYear(int y, List<PromptKey> out) {
        if (y < 1000 || (y >= 2000 && y < 2010) || y % 1000 == 0) {
            enNumber(y, out);
            return;
        }
        enBelow100(y / 100, out);
        int lo = y % 100;
        if (lo == 0) {
            out.add(HUNDRED);
        } else if (lo < 10) {
            out.add(OH);
            out.add(PromptKey.number(lo));
        } else {
            enBelow100(lo, out);
        }
    }

    /** A clock time, hours and minutes: 下午两点零五分 / "two oh five p.m.". */
    public Utterance time(LocalTime time) {
        Objects.requireNonNull(time, "time");
        int h = time.getHour();
        int m = time.getMinute();
        List<PromptKey> out = new ArrayList<>();
        if (language == Language.ZH) {
            out.add(h < 12 ? AM : PM);
            int h12 = h == 0 ? 0 : h > 12 ? h - 12 : h;
            zhCount(h12, out);
            out.add(OCLOCK);
            if (m > 0) {
                if (m < 10) {
                    out.add(N0);
                }
                zhNumber(m, out);
                out.add(CLOCK_MINUTE);
            }
        } else {
            int h12 = h % 12 == 0 ? 12 : h % 12;
            enBelow100(h12, out);
            if (m == 0) {
                out.add(OCLOCK);
            } else if (m < 10) {
                out.add(OH);
                out.add(PromptKey.number(m));
            } else {
                enBelow100(m, out);
            }
            out.add(h < 12 ? AM : PM);
        }
        return new Utterance(language, out);
    }

    /** A date then a time. */
    public Utterance dateTime(LocalDateTime dateTime, boolean withWeekday) {
        return date(dateTime.toLocalDate(), withWeekday).then(time(dateTime.toLocalTime()));
    }

    // ---------------------------------------------------------------------------------------------- durations

    /** Hours, minutes and seconds, rounded to the second; zero parts are left out (0 → "zero seconds"). */
    public Utterance duration(Duration d) {
        Objects.requireNonNull(d, "duration");
        if (d.isNegative()) {
            throw new IllegalArgumentException("negative duration: " + d);
        }
        long total = d.plusMillis(500).getSeconds();
        long h = total / 3600;
        long m = total / 60 % 60;
        long s = total % 60;
        checkRange(h);
        List<PromptKey> out = new ArrayList<>();
        if (h > 0) {
            unit(h, HOUR, HOURS, out);
        }
        if (m > 0) {
            unit(m, MINUTE, MINUTES, out);
        }
        if (s > 0 || total == 0) {
            unit(s, SECOND, SECONDS, out);
        }
        return new Utterance(language, out);
    }

    private void unit(long n, PromptKey one, PromptKey many, List<PromptKey> out) {
        if (language == Language.ZH) {
            zhCount(n, out);
            out.add(many);
        } else {
            enNumber(n, out);
            out.add(n == 1 ? one : many);
        }
    }

    // ---------------------------------------------------------------------------------------------- queue

    /** "you are number 3 in the queue" / 您排在第三位. Position starts at 1. */
    public Utterance queuePosition(int position) {
        if (position < 1) {
            throw new IllegalArgumentException("queue position starts at 1: " + position);
        }
        checkRange(position);
        List<PromptKey> out = new ArrayList<>();
        out.add(YOU_ARE_NUMBER);
        appendNumber(position, out);
        out.add(IN_THE_QUEUE);
        return new Utterance(language, out);
    }

    /**
     * "your expected wait is about 2 minutes" / 预计等待时间大约两分钟: rounded to the nearest minute, at least one
     * minute; an hour or more is said in hours and minutes.
     */
    public Utterance expectedWait(Duration wait) {
        Objects.requireNonNull(wait, "wait");
        if (wait.isNegative()) {
            throw new IllegalArgumentException("negative wait: " + wait);
        }
        long minutes = Math.max(1, wait.plusSeconds(30).toMinutes());
        return phrase(EXPECTED_WAIT, ABOUT).then(duration(Duration.ofMinutes(minutes)));
    }
}
