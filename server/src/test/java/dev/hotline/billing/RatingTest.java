package dev.hotline.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotline.routing.OutboundPlan;
import dev.hotline.routing.RoutingStore;
import dev.hotline.routing.Trunk;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/**
 * RPT-5: the rating arithmetic — increments, first increment, connection fee, longest prefix, zero-length and unrated calls;
 * periods of the week (past midnight, whole days, the enterprise's zone) and the rate a period chooses.
 */
class RatingTest {
    static Rate rate(String prefix, String price, int first, int inc, String fee) {
        return new Rate(0, prefix, null, new BigDecimal(price), first, inc, new BigDecimal(fee));
    }

    static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");

    @Test
    void talkIsBilledInTheFirstIncrementThenInEveryIncrementBegun() {
        Rate perMinute = rate("0", "0.60", 60, 60, "0");
        assertThat(perMinute.billedSeconds(1)).isEqualTo(60);
        assertThat(perMinute.billedSeconds(60)).isEqualTo(60);
        assertThat(perMinute.billedSeconds(61)).isEqualTo(120);
        assertThat(perMinute.billedSeconds(179)).isEqualTo(180);

        Rate sixSix = rate("0", "0.60", 6, 6, "0");
        assertThat(sixSix.billedSeconds(1)).isEqualTo(6);
        assertThat(sixSix.billedSeconds(6)).isEqualTo(6);
        assertThat(sixSix.billedSeconds(7)).isEqualTo(12);
        assertThat(sixSix.billedSeconds(61)).isEqualTo(66);

        Rate perSecond = rate("0", "0.60", 1, 1, "0");
        assertThat(perSecond.billedSeconds(1)).isEqualTo(1);
        assertThat(perSecond.billedSeconds(37)).isEqualTo(37);

        Rate thirtySix = rate("0", "0.60", 30, 6, "0"); // 30/6: the first 30 s, then 6-second steps
        assertThat(thirtySix.billedSeconds(5)).isEqualTo(30);
        assertThat(thirtySix.billedSeconds(30)).isEqualTo(30);
        assertThat(thirtySix.billedSeconds(31)).isEqualTo(36);
        assertThat(thirtySix.billedSeconds(37)).isEqualTo(42);
    }

    @Test
    void amountIsTheConnectionFeePlusThePricePerMinuteProRataExactlyRoundedHalfUpTo4Decimals() {
        Rate r = rate("86", "0.12", 6, 6, "0.10");
        assertThat(r.amount(6)).isEqualByComparingTo("0.1120"); // 0.10 + 0.12 × 6/60
        assertThat(r.amount(60)).isEqualByComparingTo("0.2200");
        assertThat(r.amount(6).scale()).isEqualTo(4);
        // 0.07 × 7/60 = 0.0081666… → 0.0082; no binary floating point anywhere (0.1 + 0.2 stays 0.3)
        assertThat(rate("1", "0.07", 1, 1, "0").amount(7)).isEqualByComparingTo("0.0082");
        assertThat(rate("1", "0.1", 60, 60, "0.2").amount(60)).isEqualByComparingTo("0.3").isEqualTo(new BigDecimal("0.3000"));
        assertThat(rate("1", "0.0001", 1, 1, "0").amount(30)).isEqualByComparingTo("0.0001"); // 0.00005 rounds half up
    }

    @Test
    void aCallThatLastedNoTimeCostsNothingNotEvenTheConnectionFee() {
        Rate r = rate("1", "1.00", 60, 60, "0.50");
        assertThat(r.billedSeconds(0)).isZero();
        assertThat(r.amount(0)).isEqualByComparingTo("0");
        Charge c = Charge.rate("c1", "l1", "carrier", "1234", T0, T0, 7L, 3L, Optional.of(table(r)));
        assertThat(c.rated()).isTrue();
        assertThat(c.talkSeconds()).isZero();
        assertThat(c.billedSeconds()).isZero();
        assertThat(c.amount()).isEqualByComparingTo("0");
    }

    @Test
    void everySecondBegunCountsAsTalk() {
        Rate r = rate("1", "0.60", 1, 1, "0");
        Charge c = Charge.rate("c1", "l1", "carrier", "1234", T0, T0.plusMillis(2001), null, null, Optional.of(table(r)));
        assertThat(c.talkSeconds()).isEqualTo(3);
        assertThat(c.billedSeconds()).isEqualTo(3);
        assertThat(c.amount()).isEqualByComparingTo("0.03");
        assertThat(Charge.rate("c", "l", "t", "1", T0, T0.plusMillis(2000), null, null, Optional.of(table(r))).talkSeconds()).isEqualTo(2);
    }

    static RateTable table(Rate... rates) {
        return new RateTable(1, 1, "carrier", "CNY", List.of(rates));
    }

    @Test
    void theLongestMatchingPrefixWins() {
        RateTable t = table(rate("0", "0.30", 60, 60, "0"), rate("00", "2.00", 60, 60, "0"), rate("0044", "1.20", 60, 60, "0"),
                rate("1", "0.10", 6, 6, "0"), rate("138", "0.15", 6, 6, "0"));
        assertThat(t.match("00441234567").orElseThrow().prefix()).isEqualTo("0044");
        assertThat(t.match("00331234567").orElseThrow().prefix()).isEqualTo("00");
        assertThat(t.match("02188886666").orElseThrow().prefix()).isEqualTo("0");
        assertThat(t.match("13800138000").orElseThrow().prefix()).isEqualTo("138");
        assertThat(t.match("13900138000").orElseThrow().prefix()).isEqualTo("1");
        assertThat(t.match("+13800138000").orElseThrow().prefix()).as("a leading + is not part of the digits").isEqualTo("138");
        assertThat(t.match("8613800138000")).isEmpty();
    }

    @Test
    void aNumberNoPrefixMatchesOrATrunkWithoutATableIsUnratedAndKept() {
        Charge noPrefix = Charge.rate("c1", "l1", "carrier", "99887766", T0, T0.plusSeconds(30), 5L, 2L,
                Optional.of(table(rate("0", "0.30", 60, 60, "0.1"))));
        assertThat(noPrefix.rated()).isFalse();
        assertThat(noPrefix.currency()).isNull();
        assertThat(noPrefix.amount()).isNull();
        assertThat(noPrefix.billedSeconds()).isZero();
        assertThat(noPrefix.talkSeconds()).isEqualTo(30);
        assertThat(noPrefix.agentUserId()).isEqualTo(5L);
        Charge noTable = Charge.rate("c1", "l1", "carrier", "0123", T0, T0.plusSeconds(30), null, null, Optional.empty());
        assertThat(noTable.rated()).isFalse();
        assertThat(noTable.talkSeconds()).isEqualTo(30);
    }

    @Test
    void ratesRefuseNegativeMoneyAndIncrementsBelowOne() {
        assertThatThrownBy(() -> rate("1", "-0.01", 60, 60, "0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> rate("1", "0.01", 60, 60, "-1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> rate("1", "0.01", 0, 60, "0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> rate("1", "0.01", 60, 0, "0")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theTrunkAndNumberAreReadFromTheDiallingTargetRoutingWrites() {
        Trunk trunk = new Trunk(1, "China Telecom 2", Trunk.Kind.IP, "10.0.0.1", 5060, "udp", List.of(), null, 600, null, 0, true, "off");
        var route = new RoutingStore.OutboundRoute(1, "national", "9", 1, null, 1, null, false, 1, true);
        String label = new OutboundPlan(route, trunk, "013800138000", null, 0, null).label();
        assertThat(CallRating.trunkTarget(label)).contains(new CallRating.TrunkTarget("China Telecom 2", "013800138000"));
        assertThat(CallRating.trunkTarget("extension 1001@demo")).isEmpty();
        assertThat(CallRating.trunkTarget("trunk x")).isEmpty();
    }

    static Rate rate(String prefix, String price, int first, int inc, String fee, String period) {
        return new Rate(0, prefix, null, new BigDecimal(price), first, inc, new BigDecimal(fee), period);
    }

    @Test
    void aPeriodHoldsOnItsDaysAndHoursAlsoPastMidnightAndAllDay() {
        RatePeriod day = new RatePeriod("peak", List.of(1, 2, 3, 4, 5), "08:00", "20:00");
        // 2026-03-02 is a Monday, 2026-03-07 a Saturday.
        assertThat(day.contains(LocalDateTime.parse("2026-03-02T08:00"))).isTrue();
        assertThat(day.contains(LocalDateTime.parse("2026-03-02T19:59"))).isTrue();
        assertThat(day.contains(LocalDateTime.parse("2026-03-02T20:00"))).as("the end is not in it").isFalse();
        assertThat(day.contains(LocalDateTime.parse("2026-03-02T07:59"))).isFalse();
        assertThat(day.contains(LocalDateTime.parse("2026-03-07T12:00"))).as("Saturday is not listed").isFalse();
        RatePeriod night = new RatePeriod("night", List.of(5), "22:00", "07:00"); // Friday night into Saturday morning
        assertThat(night.contains(LocalDateTime.parse("2026-03-06T23:30"))).isTrue();
        assertThat(night.contains(LocalDateTime.parse("2026-03-07T06:59"))).as("the morning after Friday").isTrue();
        assertThat(night.contains(LocalDateTime.parse("2026-03-07T22:30"))).as("Saturday night is not listed").isFalse();
        assertThat(night.contains(LocalDateTime.parse("2026-03-06T06:00"))).as("Friday morning follows Thursday").isFalse();
        RatePeriod weekend = new RatePeriod("weekend", List.of(6, 7), "00:00", "00:00");
        assertThat(weekend.contains(LocalDateTime.parse("2026-03-07T00:00"))).isTrue();
        assertThat(weekend.contains(LocalDateTime.parse("2026-03-08T23:59"))).isTrue();
        assertThat(weekend.contains(LocalDateTime.parse("2026-03-09T00:00"))).isFalse();
    }

    @Test
    void theLongestPrefixStillWinsAndForOnePrefixThePeriodsRateWins() {
        RateTable t = new RateTable(1, 1, "carrier", RateTable.OUTBOUND, "CNY",
                List.of(new RatePeriod("peak", List.of(1, 2, 3, 4, 5), "08:00", "20:00")),
                List.of(rate("138", "0.12", 6, 6, "0"), rate("138", "0.60", 6, 6, "0", "peak"), rate("1", "0.45", 60, 60, "0", "peak"),
                        rate("1", "0.30", 60, 60, "0"), rate("139", "0.20", 60, 60, "0")));
        assertThat(t.match("13800138000", "peak").orElseThrow().pricePerMinute()).isEqualByComparingTo("0.60");
        assertThat(t.match("13800138000", null).orElseThrow().pricePerMinute()).isEqualByComparingTo("0.12");
        assertThat(t.match("13900138000", "peak").orElseThrow().prefix()).as("139 for any time beats 1 of the period").isEqualTo("139");
        assertThat(t.match("15900001111", "peak").orElseThrow().pricePerMinute()).isEqualByComparingTo("0.45");
        assertThat(t.match("15900001111", null).orElseThrow().pricePerMinute()).isEqualByComparingTo("0.30");
        assertThat(t.match("15900001111", "night").orElseThrow().period()).as("another period's rate never applies").isNull();

        // Monday 2026-03-02 09:00 in Shanghai is 01:00 UTC: peak there, not in UTC.
        Instant at = Instant.parse("2026-03-02T01:00:00Z");
        ZoneId shanghai = ZoneId.of("Asia/Shanghai");
        assertThat(t.periodAt(at, shanghai)).contains("peak");
        assertThat(t.periodAt(at, ZoneOffset.UTC)).isEmpty();
        Charge peak = Charge.rate("c", "l", RateTable.OUTBOUND, "carrier", "13800138000", at, at.plusSeconds(10), 10, null, null,
                Optional.of(t), shanghai);
        assertThat(peak.period()).isEqualTo("peak");
        assertThat(peak.amount()).isEqualByComparingTo("0.1200"); // 12 s at 0.60
        Charge offPeak = Charge.rate("c", "l", RateTable.OUTBOUND, "carrier", "13800138000", at, at.plusSeconds(10), 10, null, null,
                Optional.of(t), ZoneOffset.UTC);
        assertThat(offPeak.period()).isNull();
        assertThat(offPeak.amount()).isEqualByComparingTo("0.0240"); // 12 s at 0.12
        Charge inbound = Charge.rate("c", "l", RateTable.INBOUND, "carrier", "4008001234", at, at.plusSeconds(10), 10, null, null,
                Optional.of(t), shanghai);
        assertThat(inbound.direction()).isEqualTo(RateTable.INBOUND);
        assertThat(inbound.rated()).isFalse();
    }

    /** Peak Monday to Friday 08:00–22:00 in Shanghai: 138 at 0.60 (6/6, fee 0.10) then, else 0.12; 1… at 0.45 then, else 0.30 (60/60). */
    static final RateTable PEAK_TABLE = new RateTable(1, 1, "carrier", RateTable.OUTBOUND, "CNY",
            List.of(new RatePeriod("peak", List.of(1, 2, 3, 4, 5), "08:00", "22:00")),
            List.of(rate("138", "0.12", 6, 6, "0"), rate("138", "0.60", 6, 6, "0.10", "peak"), rate("1", "0.45", 60, 60, "0", "peak"),
                    rate("1", "0.30", 60, 60, "0")));
    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    static Charge rateAt(String number, String localAnswer, int talk) {
        Instant at = LocalDateTime.parse(localAnswer).atZone(SHANGHAI).toInstant();
        return Charge.rate("c", "l", RateTable.OUTBOUND, "carrier", number, at, at.plusSeconds(talk), talk, null, null,
                Optional.of(PEAK_TABLE), SHANGHAI);
    }

    @Test
    void aCallThatRunsFromPeakIntoOffPeakIsBilledPerPeriodEachIncrementAtTheRateOfThePeriodItBeginsIn() {
        // Monday 2026-03-02 21:59:30, 100 s: billed 6 + 16 × 6 = 102 s by the answer's 6/6; the increments beginning before 22:00
        // (0, 6 … 24: 30 s) at the peak's 0.60, the 72 s after at 0.12; the connection fee (of the answer's rate) once.
        Charge c = rateAt("13800138000", "2026-03-02T21:59:30", 100);
        assertThat(c.split()).isTrue();
        assertThat(c.billedSeconds()).isEqualTo(102);
        assertThat(c.parts()).containsExactly(
                new Charge.Part("peak", "138", new BigDecimal("0.60"), 0, 30, new BigDecimal("0.3000")),
                new Charge.Part(null, "138", new BigDecimal("0.12"), 30, 72, new BigDecimal("0.1440")));
        assertThat(c.amount()).isEqualByComparingTo("0.5440").isNotEqualByComparingTo(rate("138", "0.60", 6, 6, "0.10").amount(102));
        assertThat(c.period()).as("the rate of the answer").isEqualTo("peak");
        assertThat(BillingReports.partsText(c.parts())).isEqualTo("peak/138 30 s × 0.60 = 0.3000; 138 72 s × 0.12 = 0.1440");

        // 60/60: the first minute begins in the peak (0.45) though it ends after 22:00; the second begins off-peak (0.30).
        Charge perMinute = rateAt("15900001111", "2026-03-02T21:59:30", 100);
        assertThat(perMinute.parts()).extracting(Charge.Part::period, Charge.Part::billedSeconds).containsExactly(
                Tuple.tuple("peak", 60), Tuple.tuple(null, 60));
        assertThat(perMinute.amount()).isEqualByComparingTo("0.7500");
    }

    @Test
    void aCallFromOffPeakIntoPeakAndOneThatStaysInAPeriodAndOneOverANightAndADay() {
        // 07:59:50 off-peak (0.12, 6/6, no fee) for 20 s: 12 s before 08:00, 12 s after at the peak's 0.60, no fee (the answer's).
        Charge morning = rateAt("13800138000", "2026-03-02T07:59:50", 20);
        assertThat(morning.parts()).extracting(Charge.Part::period, Charge.Part::fromSecond, Charge.Part::billedSeconds, Charge.Part::amount)
                .containsExactly(Tuple.tuple(null, 0, 12, new BigDecimal("0.0240")),
                        Tuple.tuple("peak", 12, 12, new BigDecimal("0.1200")));
        assertThat(morning.amount()).isEqualByComparingTo("0.1440");

        // Within one period: one rate, no parts, the amount as ever.
        Charge inPeak = rateAt("13800138000", "2026-03-02T21:58:00", 60);
        assertThat(inPeak.split()).isFalse();
        assertThat(inPeak.parts()).isEmpty();
        assertThat(inPeak.amount()).isEqualByComparingTo("0.7000"); // 0.10 + 0.60 × 60/60

        // Friday 21:00 for 12 hours: 1 h of Friday's peak, the night and Saturday (no peak on the weekend) at 0.12.
        Charge night = rateAt("13800138000", "2026-03-06T21:00:00", 12 * 3600);
        assertThat(night.parts()).extracting(Charge.Part::period, Charge.Part::billedSeconds)
                .containsExactly(Tuple.tuple("peak", 3600), Tuple.tuple(null, 11 * 3600));
        assertThat(night.amount()).isEqualByComparingTo("115.3000"); // 0.10 + 3 600 s × 0.60 + 39 600 s × 0.12, per minute
    }

    @Test
    void anIncrementInAPeriodWithoutARateForTheNumberKeepsTheRateOfTheAnswer() {
        // Toll-free 400… priced only in the peak: a call from the peak into the evening stays at the peak's rate, in one part.
        RateTable t = new RateTable(2, 1, "carrier", RateTable.INBOUND, "CNY", PEAK_TABLE.periods(), List.of(rate("400", "0.50", 6, 6, "0", "peak")));
        Instant at = LocalDateTime.parse("2026-03-02T21:59:30").atZone(SHANGHAI).toInstant();
        Charge c = Charge.rate("c", "l", RateTable.INBOUND, "carrier", "4008001234", at, at.plusSeconds(60), 60, null, null, Optional.of(t), SHANGHAI);
        assertThat(c.split()).isFalse();
        assertThat(c.amount()).isEqualByComparingTo("0.5000");
    }
}
