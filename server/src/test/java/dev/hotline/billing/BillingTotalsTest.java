package dev.hotline.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.report.ReportTable;
import dev.hotline.store.Database;
import dev.hotline.testing.TestDatabases;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * RPT-5 totals over stored charges: unrated calls join their group's one currency, a group billed in two currencies keeps
 * them apart (and its unrated calls in a row of their own), the total has no amount when currencies differ, and calls
 * outside the range or of another enterprise do not count.
 */
class BillingTotalsTest {
    static final ZoneId UTC = ZoneOffset.UTC;
    static final Instant T = Instant.parse("2026-05-01T08:00:00Z");

    static RateTable table(String currency) {
        return new RateTable(1, 1, "x", currency, List.of(new Rate(0, "0", null, new BigDecimal("0.60"), 1, 1, BigDecimal.ZERO)));
    }

    static Charge charge(String id, String trunk, String number, int talk, Long agent, Optional<RateTable> table, Instant at) {
        return Charge.rate(id, "leg", trunk, number, at, at.plusSeconds(talk), talk, agent, null, table);
    }

    @Test
    void totalsKeepCurrenciesApartAndCountUnratedCalls() {
        try (Database db = new Database(TestDatabases.fresh(TestDatabases.Kind.H2), "", "")) {
            var jdbi = db.jdbi();
            long e = enterprise(jdbi, "a");
            long other = enterprise(jdbi, "b");
            jdbi.useHandle(h -> {
                ChargeDays.save(h, e, UTC, charge("c1", "alpha", "0101", 60, 7L, Optional.of(table("CNY")), T));           // 0.60 CNY
                ChargeDays.save(h, e, UTC, charge("c2", "alpha", "9999", 30, 7L, Optional.of(table("CNY")), T));           // unrated
                ChargeDays.save(h, e, UTC, charge("c3", "beta", "0202", 30, 8L, Optional.of(table("USD")), T));            // 0.30 USD
                ChargeDays.save(h, e, UTC, charge("c4", "beta", "0203", 10, 8L, Optional.of(table("CNY")), T));            // 0.10 CNY
                ChargeDays.save(h, e, UTC, charge("c5", "beta", "9999", 5, 8L, Optional.empty(), T));                      // unrated
                ChargeDays.save(h, e, UTC, charge("c6", "alpha", "0101", 60, 7L, Optional.of(table("CNY")), T.plusSeconds(86_400))); // later
                ChargeDays.save(h, other, UTC, charge("c7", "alpha", "0101", 600, 9L, Optional.of(table("CNY")), T));    // another enterprise
                ChargeDays.save(h, e, UTC, charge("c1", "alpha", "0101", 60, 7L, Optional.of(table("CNY")), T));           // rated again: replaces
            });
            Instant from = T.minusSeconds(3600);
            Instant to = T.plusSeconds(3600);
            ReportTable byTrunk = jdbi.withHandle(h -> BillingReports.totals(h, e, UTC, BillingReports.By.TRUNK, from, to));
            assertThat(byTrunk.rows()).extracting(r -> r.get("name") + " " + r.get("currency") + " " + r.get("calls") + " " + r.get("unrated")
                    + " " + r.get("talkSeconds") + " " + r.get("billedSeconds") + " " + r.get("amount"))
                    .containsExactly("alpha CNY 2 1 90 60 0.6000", "beta null 1 1 5 0 0.0000", "beta CNY 1 0 10 10 0.1000",
                            "beta USD 1 0 30 30 0.3000");
            Map<String, Object> total = byTrunk.total();
            assertThat(total.get("calls")).isEqualTo(5L);
            assertThat(total.get("unrated")).isEqualTo(2L);
            assertThat(total.get("currency")).isNull();
            assertThat(total.get("amount")).as("CNY and USD do not add up").isNull();

            ReportTable byEnterprise = jdbi.withHandle(h -> BillingReports.totals(h, e, UTC, BillingReports.By.ENTERPRISE, from, to));
            assertThat(byEnterprise.rows()).hasSize(3); // CNY, USD, and the unrated calls apart
            ReportTable byAgent = jdbi.withHandle(h -> BillingReports.totals(h, e, UTC, BillingReports.By.AGENT, from, T.plusSeconds(1)));
            assertThat(byAgent.rows()).extracting(r -> r.get("id") + " " + r.get("currency") + " " + r.get("calls") + " " + r.get("amount"))
                    .containsExactly("7 CNY 2 0.6000", "8 null 1 0.0000", "8 CNY 1 0.1000", "8 USD 1 0.3000");
            ReportTable bill = jdbi.withHandle(h -> BillingReports.charges(h, e, UTC, from, to, 0, 3));
            assertThat(bill.rows()).as("at most the limit").hasSize(3);
        }
    }

    static long enterprise(org.jdbi.v3.core.Jdbi jdbi, String code) {
        return jdbi.withHandle(h -> h.createUpdate("INSERT INTO enterprise (code, name, sip_domain, created_at) VALUES (:c, :c, :d, CURRENT_TIMESTAMP)")
                .bind("c", code).bind("d", code + ".local").executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
    }
}
