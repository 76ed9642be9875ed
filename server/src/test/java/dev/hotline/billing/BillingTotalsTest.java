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
        try (Database db = new Database(TestDatabases.migrated(TestDatabases.Kind.H2), "", "")) {
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

    /**
     * Keyset paging of the bill: charges with many equal answer times (several calls, and two legs of one call, at one instant),
     * of two enterprises, paged by cursor ({@code page.next}) with random page sizes, give every row of the range exactly once
     * in the order of (answer time, call, leg), and no cursor after the last page; a text that is no cursor is refused. Seeded.
     */
    @Test
    void billPagedByCursorGivesEveryRowOnceInOrder() {
        try (Database db = new Database(TestDatabases.migrated(TestDatabases.Kind.H2), "", "")) {
            var jdbi = db.jdbi();
            long e = enterprise(jdbi, "a");
            long other = enterprise(jdbi, "b");
            java.util.Random rnd = new java.util.Random(15);
            record Stored(Instant at, String call, String leg, String number) {}
            List<Stored> mine = new java.util.ArrayList<>();
            jdbi.useTransaction(h -> {
                for (int i = 0; i < 400; i++) {
                    Instant at = T.plusSeconds(rnd.nextInt(40) * 900L).plusMillis(rnd.nextInt(3) * 250L); // ties: 120 instants
                    String call = "call-" + (char) ('a' + rnd.nextInt(26)) + i; // unique, in no order of i
                    long owner = rnd.nextInt(8) == 0 ? other : e;
                    for (String leg : rnd.nextInt(4) == 0 ? List.of("leg-b", "leg-a") : List.of("leg-a")) {
                        String number = "0" + (100_000 + i * 10L) + (leg.equals("leg-a") ? 1 : 2);
                        ChargeDays.save(h, owner, UTC, Charge.rate(call, leg, "alpha", number, at, at.plusSeconds(30), 30, null, null,
                                Optional.of(table("CNY"))));
                        if (owner == e) mine.add(new Stored(at, call, leg, number));
                    }
                }
            });
            for (Instant[] range : List.of(new Instant[] {T.minusSeconds(1), T.plusSeconds(86_400)},
                    new Instant[] {T.plusSeconds(3_600), T.plusSeconds(7 * 3_600)})) {
                List<String> expected = mine.stream().filter(m -> !m.at().isBefore(range[0]) && m.at().isBefore(range[1]))
                        .sorted(java.util.Comparator.comparing(Stored::at).thenComparing(Stored::call).thenComparing(Stored::leg))
                        .map(Stored::number).toList();
                List<String> paged = new java.util.ArrayList<>();
                BillCursor after = null;
                for (int pages = 0; pages <= expected.size(); pages++) {
                    int limit = 1 + rnd.nextInt(40);
                    BillCursor cursor = after;
                    ReportTable page = jdbi.withHandle(h -> BillingReports.charges(h, e, UTC, range[0], range[1], cursor, 0, limit));
                    page.rows().forEach(r -> paged.add((String) r.get("number")));
                    assertThat(page.page().total()).isEqualTo(expected.size());
                    if (page.page().next() == null) break;
                    assertThat(page.rows()).as("a page before the last is full").hasSize(limit);
                    after = BillCursor.parse(page.page().next()).orElseThrow();
                }
                assertThat(expected).as("ties in the range").hasSizeGreaterThan(20);
                assertThat(paged).as("every row once, in order").isEqualTo(expected);
            }
            assertThat(BillCursor.parse("not a cursor!")).isEmpty();
            assertThat(BillCursor.parse(java.util.Base64.getUrlEncoder().encodeToString("2026-13-01\nc\nl".getBytes()))).isEmpty();
            BillCursor c = new BillCursor(T.plusMillis(250), "call-1", "leg-a");
            assertThat(BillCursor.parse(c.text())).contains(c);
        }
    }

    static long enterprise(org.jdbi.v3.core.Jdbi jdbi, String code) {
        return jdbi.withHandle(h -> h.createUpdate("INSERT INTO enterprise (code, name, sip_domain, created_at) VALUES (:c, :c, :d, CURRENT_TIMESTAMP)")
                .bind("c", code).bind("d", code + ".local").executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
    }
}
