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
    private static final BigDecimal MAX_MONEY = new BigDecimal("9999999999");

    /**
     * A rate table as the API takes it.
     *
     * @param trunkId  the trunk it prices (one table per trunk)
     * @param currency ISO 4217 code, default CNY
     * @param rates    the prefixes and their prices; a number no prefix starts is stored unrated
     */
    public record Input(Long trunkId, String currency, List<RateInput> rates) {}

    /**
     * One rate as the API takes it.
     *
     * @param prefix         digits the dialled number starts with (1–20); the longest matching prefix wins
     * @param pricePerMinute per minute, at most 4 decimals, not negative
     * @param firstIncrement seconds billed for the first part of the call (default: {@code increment})
     * @param increment      seconds of each following step, default 60 (60/60); 6/6 or 1/1 for finer billing
     * @param connectionFee  once per answered call, default 0
     */
    public record RateInput(String prefix, String description, BigDecimal pricePerMinute, Integer firstIncrement, Integer increment,
                            BigDecimal connectionFee) {}

    /** Creates ({@code id} null) or replaces table {@code id} of the enterprise. */
    public static RateTable save(Handle h, long enterpriseId, Long id, Input in) {
        if (in == null) throw DomainException.badRequest("a JSON body is required");
        if (id != null && BillingStore.table(h, enterpriseId, id).isEmpty()) throw DomainException.notFound("rate table");
        String currency = Validator.clean(in.currency()) == null ? "CNY" : in.currency().strip().toUpperCase(Locale.ROOT);
        List<RateInput> inputs = in.rates() == null ? List.of() : in.rates();
        Validator v = Validator.of().required("trunkId", in.trunkId())
                .matches("currency", currency, "[A-Z]{3}", "a three-letter ISO 4217 code such as CNY")
                .check(inputs.size() <= MAX_RATES, "rates", "at most " + MAX_RATES);
        if (in.trunkId() != null) v.check(BillingStore.trunkName(h, enterpriseId, in.trunkId()).isPresent(), "trunkId", "no such trunk");
        record Checked(String prefix, String description, BigDecimal price, int first, int increment, BigDecimal fee) {}
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
            v.required(f + "prefix", prefix).matches(f + "prefix", prefix, "[0-9]{1,20}", "1–20 digits")
                    .maxLength(f + "description", description, 64)
                    .required(f + "pricePerMinute", r.pricePerMinute())
                    .check(increment > 0 && increment <= 3600, f + "increment", "1..3600 seconds")
                    .check(first > 0 && first <= 3600, f + "firstIncrement", "1..3600 seconds");
            money(v, f + "pricePerMinute", r.pricePerMinute());
            money(v, f + "connectionFee", fee);
            if (prefix != null && !prefixes.add(prefix)) v.add(f + "prefix", "appears twice");
            checked.add(new Checked(prefix, description, r.pricePerMinute(), first, increment, fee));
        }
        v.throwIfInvalid();
        var other = BillingStore.tableOfTrunkId(h, enterpriseId, in.trunkId());
        if (other.isPresent() && !Long.valueOf(other.get().id()).equals(id)) {
            throw DomainException.conflict("this trunk has a rate table already", "trunkId", "has a rate table already");
        }
        List<Rate> rates = checked.stream().map(c -> new Rate(0, c.prefix(), c.description(), c.price().setScale(Rate.SCALE), c.first(),
                c.increment(), c.fee().setScale(Rate.SCALE))).toList();
        long saved;
        if (id == null) {
            saved = BillingStore.insertTable(h, enterpriseId, in.trunkId(), currency, rates);
        } else {
            BillingStore.updateTable(h, enterpriseId, id, in.trunkId(), currency, rates);
            saved = id;
        }
        return BillingStore.table(h, enterpriseId, saved).orElseThrow();
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
        return t.trunk() + " " + t.currency() + " " + t.rates().size() + " rate(s)";
    }
}
