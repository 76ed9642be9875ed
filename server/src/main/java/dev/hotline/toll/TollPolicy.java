package dev.hotline.toll;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.hotline.domain.DomainException;
import dev.hotline.domain.JsonMapper;
import dev.hotline.domain.Validator;
import dev.hotline.store.EnterpriseSettings;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * An enterprise's toll-fraud limits on calls out through its trunks (SEC-1). Windows are rolling: "per hour" is the last
 * 60 minutes, "per day" the last 24 hours. A null limit is no limit.
 *
 * @param countryCode          the enterprise's own country code (86): "+86…" and "0086…" are not international
 * @param international        (absent: false) whether numbers abroad ("+", "00" and another country code) may be called (off by default)
 * @param allowedPrefixes      the only prefixes of the number sent to the trunk (without its "+") that may be called; empty: any
 * @param maxCallsPerHour      calls dialled out in the last 60 minutes
 * @param maxCallsPerDay       calls dialled out in the last 24 hours
 * @param maxMinutesPerHour    billed minutes of the calls that ended in the last 60 minutes
 * @param maxMinutesPerDay     billed minutes of the calls that ended in the last 24 hours
 * @param maxSpendPerDay       the amount the rate tables charged for the calls that ended in the last 24 hours
 */
public record TollPolicy(String countryCode, Boolean international, List<String> allowedPrefixes, Integer maxCallsPerHour,
                         Integer maxCallsPerDay, Integer maxMinutesPerHour, Integer maxMinutesPerDay, BigDecimal maxSpendPerDay) {
    static final String SETTING = "toll.policy";

    public TollPolicy {
        international = Boolean.TRUE.equals(international); // absent: off
        allowedPrefixes = allowedPrefixes == null ? List.of() : List.copyOf(allowedPrefixes);
    }

    public static TollPolicy defaults() {
        return new TollPolicy("86", false, List.of(), null, null, null, null, null);
    }

    /** True when the policy counts billed minutes or spend (read back from the call charges). */
    boolean countsCharges() {
        return maxMinutesPerHour != null || maxMinutesPerDay != null || maxSpendPerDay != null;
    }

    static TollPolicy load(Handle h, long enterpriseId) {
        Optional<String> json = EnterpriseSettings.get(h, enterpriseId, SETTING);
        if (json.isEmpty() || json.get().isBlank()) return defaults();
        try {
            return JsonMapper.MAPPER.readValue(json.get(), TollPolicy.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored toll policy of enterprise " + enterpriseId + " is unreadable", e);
        }
    }

    void save(Handle h, long enterpriseId) {
        try {
            EnterpriseSettings.put(h, enterpriseId, SETTING, JsonMapper.MAPPER.writeValueAsString(this));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Checks a policy sent over the API: 400 naming each bad field. */
    static TollPolicy validate(TollPolicy in) {
        if (in == null) throw DomainException.badRequest("a JSON body is required");
        Validator v = Validator.of();
        v.required("countryCode", in.countryCode());
        v.matches("countryCode", in.countryCode(), "[1-9][0-9]{0,3}", "a country calling code such as 86");
        v.check(in.allowedPrefixes().size() <= 50, "allowedPrefixes", "at most 50 prefixes");
        for (int i = 0; i < in.allowedPrefixes().size(); i++) {
            String p = in.allowedPrefixes().get(i);
            v.check(p != null && p.matches("[0-9]{1,12}"), "allowedPrefixes[" + i + "]", "digits only, 1 to 12 of them");
        }
        positive(v, "maxCallsPerHour", in.maxCallsPerHour());
        positive(v, "maxCallsPerDay", in.maxCallsPerDay());
        positive(v, "maxMinutesPerHour", in.maxMinutesPerHour());
        positive(v, "maxMinutesPerDay", in.maxMinutesPerDay());
        v.check(in.maxSpendPerDay() == null || (in.maxSpendPerDay().signum() >= 0 && in.maxSpendPerDay().scale() <= 4
                && in.maxSpendPerDay().precision() - in.maxSpendPerDay().scale() <= 12), "maxSpendPerDay", "an amount of 0 or more, at most 4 decimals");
        v.throwIfInvalid();
        return in;
    }

    private static void positive(Validator v, String field, Integer value) {
        v.check(value == null || (value >= 0 && value <= 10_000_000), field, "a whole number from 0 to 10000000, or null for no limit");
    }
}
