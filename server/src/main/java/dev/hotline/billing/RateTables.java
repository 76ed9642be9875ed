package dev.hotline.billing;

import dev.hotline.domain.DomainException;
import dev.hotline.domain.Validator;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/** Rate tables (RPT-5): checked, then stored whole (the table and all its rates). */
public final class RateTables {
    private RateTables() {}

    /** The most rates a table holds. */
    static final int MAX_RATES = 5000;
    /** The most periods a table has. */
    static final int MAX_PERIODS = 20;
    private static final String TIME = "([01][0-9]|2[0-3]):[0-5][0-9]";
    private static final BigDecimal MAX_MONEY = new BigDecimal("9999999999");

    /**
     * A rate table as the API takes it.
     *
     * @param trunkId   the trunk it prices (one table per trunk and direction)
     * @param direction outbound (default: the numbers dialled out) or inbound (calls arriving through the trunk, priced by the
     *                  number called, e.g. toll-free numbers the enterprise pays for)
     * @param currency  ISO 4217 code, default CNY
     * @param periods   named periods of the week (peak, off-peak ...): a rate may hold in one of them only
     * @param rates     the prefixes and their prices; a number no prefix starts is stored unrated
     */
    public record Input(Long trunkId, String direction, String currency, List<PeriodInput> periods, List<RateInput> rates) {}

    /**
     * One period as the API takes it.
     *
     * @param name a name the rates refer to (1–32 characters), unique in the table
     * @param days 1 Monday .. 7 Sunday, at least one
     * @param from "HH:mm", the enterprise's local time
     * @param to   "HH:mm"; not after {@code from}: into the next day (22:00–07:00); equal to {@code from}: the whole day
     */
    public record PeriodInput(String name, List<Integer> days, String from, String to) {}

    /**
     * One rate as the API takes it.
     *
     * @param prefix         digits the dialled number starts with (1–20); the longest matching prefix wins
     * @param pricePerMinute per minute, at most 4 decimals, not negative
     * @param firstIncrement seconds billed for the first part of the call (default: {@code increment})
     * @param increment      seconds of each following step, default 60 (60/60); 6/6 or 1/1 for finer billing
     * @param connectionFee  once per answered call, default 0
     * @param period         the name of one of the table's periods the rate holds in; null: at any time (a period's rate wins
     *                       over the one for any time of the same prefix)
     */
    public record RateInput(String prefix, String description, BigDecimal pricePerMinute, Integer firstIncrement, Integer increment,
                            BigDecimal connectionFee, String period) {}

    /** Creates ({@code id} null) or replaces table {@code id} of the enterprise. */
    public static RateTable save(Handle h, long enterpriseId, Long id, Input in) {
        if (in == null) throw DomainException.badRequest("a JSON body is required");
        if (id != null && BillingStore.table(h, enterpriseId, id).isEmpty()) throw DomainException.notFound("rate table");
        String currency = Validator.clean(in.currency()) == null ? "CNY" : in.currency().strip().toUpperCase(Locale.ROOT);
        List<RateInput> inputs = in.rates() == null ? List.of() : in.rates();
        String direction = Validator.clean(in.direction()) == null ? RateTable.OUTBOUND : in.direction().strip();
        Validator v = Validator.of().required("trunkId", in.trunkId())
                .check(direction.equals(RateTable.OUTBOUND) || direction.equals(RateTable.INBOUND), "direction", "outbound or inbound")
                .matches("currency", currency, "[A-Z]{3}", "a three-letter ISO 4217 code such as CNY")
                .check(inputs.size() <= MAX_RATES, "rates", "at most " + MAX_RATES);
        if (in.trunkId() != null) v.check(BillingStore.trunkName(h, enterpriseId, in.trunkId()).isPresent(), "trunkId", "no such trunk");
        List<RatePeriod> periods = periods(v, in.periods());
        Set<String> periodNames = new HashSet<>();
        periods.forEach(p -> periodNames.add(p.name()));
        record Checked(String prefix, String description, BigDecimal price, int first, int increment, BigDecimal fee, String period) {}
        List<Checked> checked = new ArrayList<>();
        Set<String> prefixes = new HashSet<>();
        for (int i = 0; i < inputs.size(); i++) {
            RateInput r = inputs.get(i);
            String f = "rates[" + i + "].";
            if (r == null) {
                v.add("rates[" + i + "]", "a rate is required");
                continue;
            }
            String prefix = Validator.clean(r.prefix());
            String description = Validator.clean(r.description());
            int increment = r.increment() == null ? 60 : r.increment();
            int first = r.firstIncrement() == null ? increment : r.firstIncrement();
            BigDecimal fee = r.connectionFee() == null ? BigDecimal.ZERO : r.connectionFee();
            String period = Validator.clean(r.period());
            if (period != null) v.check(periodNames.contains(period), f + "period", "not a period of this table");
            v.required(f + "prefix", prefix).matches(f + "prefix", prefix, "[0-9]{1,20}", "1–20 digits")
                    .maxLength(f + "description", description, 64)
                    .required(f + "pricePerMinute", r.pricePerMinute())
                    .check(increment > 0 && increment <= 3600, f + "increment", "1..3600 seconds")
                    .check(first > 0 && first <= 3600, f + "firstIncrement", "1..3600 seconds");
            money(v, f + "pricePerMinute", r.pricePerMinute());
            money(v, f + "connectionFee", fee);
            if (prefix != null && !prefixes.add(prefix + "\n" + (period == null ? "" : period))) {
                v.add(f + "prefix", period == null ? "appears twice" : "appears twice in period " + period);
            }
            checked.add(new Checked(prefix, description, r.pricePerMinute(), first, increment, fee, period));
        }
        v.throwIfInvalid();
        var other = BillingStore.tableOfTrunkId(h, enterpriseId, in.trunkId(), direction);
        if (other.isPresent() && !Long.valueOf(other.get().id()).equals(id)) {
            throw DomainException.conflict("this trunk has a rate table for its " + direction + " calls already", "trunkId",
                    "has a rate table already");
        }
        List<Rate> rates = checked.stream().map(c -> new Rate(0, c.prefix(), c.description(), c.price().setScale(Rate.SCALE), c.first(),
                c.increment(), c.fee().setScale(Rate.SCALE), c.period())).toList();
        long saved;
        if (id == null) {
            saved = BillingStore.insertTable(h, enterpriseId, in.trunkId(), direction, currency, periods, rates);
        } else {
            BillingStore.updateTable(h, enterpriseId, id, in.trunkId(), direction, currency, periods, rates);
            saved = id;
        }
        return BillingStore.table(h, enterpriseId, saved).orElseThrow();
    }

    /** The periods checked (field names periods[i].name, .days, .from, .to); those with a problem are left out. */
    private static List<RatePeriod> periods(Validator v, List<PeriodInput> inputs) {
        List<RatePeriod> out = new ArrayList<>();
        if (inputs == null) return out;
        v.check(inputs.size() <= MAX_PERIODS, "periods", "at most " + MAX_PERIODS);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < inputs.size(); i++) {
            PeriodInput p = inputs.get(i);
            String f = "periods[" + i + "].";
            if (p == null) {
                v.add("periods[" + i + "]", "a period is required");
                continue;
            }
            String name = Validator.clean(p.name());
            List<Integer> days = p.days() == null ? List.of() : p.days();
            boolean daysOk = !days.isEmpty() && days.stream().allMatch(d -> d != null && d >= 1 && d <= 7) && new HashSet<>(days).size() == days.size();
            boolean ok = name != null && name.length() <= 32 && daysOk && p.from() != null && p.from().matches(TIME) && p.to() != null
                    && p.to().matches(TIME);
            v.required(f + "name", name).maxLength(f + "name", name, 32)
                    .check(daysOk, f + "days", "one or more of 1 (Monday) .. 7 (Sunday), each once")
                    .check(p.from() != null && p.from().matches(TIME), f + "from", "a time HH:mm such as 08:00")
                    .check(p.to() != null && p.to().matches(TIME), f + "to", "a time HH:mm such as 20:00");
            if (name != null && !names.add(name)) {
                v.add(f + "name", "appears twice");
                ok = false;
            }
            if (ok) out.add(new RatePeriod(name, days.stream().sorted().toList(), p.from(), p.to()));
        }
        return out;
    }

    private static void money(Validator v, String field, BigDecimal value) {
        if (value == null) return;
        v.check(value.signum() >= 0, field, "must not be negative")
                .check(value.stripTrailingZeros().scale() <= Rate.SCALE, field, "at most " + Rate.SCALE + " decimals")
                .check(value.compareTo(MAX_MONEY) <= 0, field, "at most " + MAX_MONEY.toPlainString());
    }

    /** Deletes table {@code id} of the enterprise; its rated charges stay as they were. */
    public static RateTable delete(Handle h, long enterpriseId, long id) {
        RateTable t = BillingStore.table(h, enterpriseId, id).orElseThrow(() -> DomainException.notFound("rate table"));
        BillingStore.deleteTable(h, enterpriseId, id);
        return t;
    }

    /** A short account of a table for the operation log. */
    public static String detail(RateTable t) {
        return t.trunk() + " " + t.direction() + " " + t.currency() + " " + t.periods().size() + " period(s) " + t.rates().size() + " rate(s)";
    }
}
