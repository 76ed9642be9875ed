package dev.hotline.toll;

import dev.hotline.routing.TollCheck;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Toll-fraud limits (SEC-1) checked on every call out through a trunk, from memory: the routing asks here after it has
 * chosen a route, for extensions, desks, campaigns, callbacks and the API alike. Calls are counted as they are admitted
 * (a burst cannot slip through between two writes of the event log); billed minutes and spend are read back from the call
 * charges (RPT-5) every few seconds off the call path. A refusal is an alert for the enterprise's supervisors while it is
 * recent, and the first of each kind in {@link #ALERT_FOR} goes to the operation log.
 */
public final class TollGuard implements TollCheck {
    private static final Logger log = LoggerFactory.getLogger(TollGuard.class);
    /** How long a refusal stays an alert, and how often the same kind is written to the operation log. */
    static final Duration ALERT_FOR = Duration.ofMinutes(10);
    private static final int MINUTES_PER_DAY = 24 * 60;

    /** Which limit refused a call. */
    public enum Limit {
        INTERNATIONAL("international calls are not allowed"),
        PREFIX("the number's prefix is not allowed"),
        CALLS_PER_HOUR("calls per hour reached"),
        CALLS_PER_DAY("calls per day reached"),
        MINUTES_PER_HOUR("minutes per hour reached"),
        MINUTES_PER_DAY("minutes per day reached"),
        SPEND_PER_DAY("spend per day reached");

        final String text;

        Limit(String text) {
            this.text = text;
        }
    }

    /** A refusal, for the alert and the operation log. */
    public record Refusal(long enterpriseId, Limit limit, String number, String detail, Instant at) {}

    /** What an enterprise has used, against its policy. */
    public record Usage(int callsLastHour, int callsLastDay, long minutesLastHour, long minutesLastDay, BigDecimal spendLastDay,
                        List<Refusal> recentRefusals) {}

    private final Jdbi jdbi;
    private final Clock clock;
    private final Consumer<Refusal> firstOfKind;
    private final Map<Long, Account> accounts = new ConcurrentHashMap<>();

    /** One enterprise's policy and counts. */
    private static final class Account {
        volatile TollPolicy policy;
        /** Calls admitted per minute, a ring over the last 24 hours: slot = minute % 1440, stamped with its minute. */
        final int[] calls = new int[MINUTES_PER_DAY];
        final long[] stamp = new long[MINUTES_PER_DAY];
        volatile long minutesLastHour;
        volatile long minutesLastDay;
        volatile BigDecimal spendLastDay = BigDecimal.ZERO;
        final Map<Limit, Refusal> lastRefusal = new EnumMap<>(Limit.class);

        Account(TollPolicy policy) {
            this.policy = policy;
        }

        int calls(long nowMinute, int minutes) {
            int n = 0;
            for (long m = nowMinute - minutes + 1; m <= nowMinute; m++) {
                int slot = (int) Math.floorMod(m, MINUTES_PER_DAY);
                if (stamp[slot] == m) n += calls[slot];
            }
            return n;
        }

        void count(long minute, int n) {
            int slot = (int) Math.floorMod(minute, MINUTES_PER_DAY);
            if (stamp[slot] != minute) {
                stamp[slot] = minute;
                calls[slot] = 0;
            }
            calls[slot] += n;
        }
    }

    public TollGuard(Jdbi jdbi, Clock clock, Consumer<Refusal> firstOfKind) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.firstOfKind = firstOfKind;
    }

    /** Loads every enterprise's policy, the calls dialled out in the last 24 hours and the charges (at start). */
    public void start() {
        Instant now = clock.instant();
        jdbi.useHandle(h -> {
            for (long e : h.createQuery("SELECT id FROM enterprise").mapTo(Long.class).list()) {
                Account a = new Account(TollPolicy.load(h, e));
                // Each call dialled through a trunk has a 'dialing' event naming it ("trunk NAME NUMBER").
                h.createQuery("""
                        SELECT at FROM call_event WHERE enterprise_id = :e AND at >= :since AND type = 'dialing' AND data LIKE '%trunk %'""")
                        .bind("e", e).bind("since", Timestamp.from(now.minus(Duration.ofDays(1))))
                        .mapTo(Timestamp.class).forEach(t -> a.count(minute(t.toInstant()), 1));
                accounts.put(e, a);
            }
        });
        refreshCharges();
    }

    private static long minute(Instant t) {
        return Math.floorDiv(t.getEpochSecond(), 60);
    }

    /**
     * The enterprise's account. Every enterprise's was loaded at start; one created since has stored no policy (a policy is
     * saved through {@link #policyChanged}), so it starts with the defaults, without a database read on the call's thread.
     */
    private Account account(long enterpriseId) {
        return accounts.computeIfAbsent(enterpriseId, e -> new Account(TollPolicy.defaults()));
    }

    public TollPolicy policy(long enterpriseId) {
        return account(enterpriseId).policy;
    }

    /** A new policy in force (saved by the caller). */
    void policyChanged(long enterpriseId, TollPolicy policy) {
        account(enterpriseId).policy = policy;
        refreshCharges();
    }

    @Override
    public Optional<String> refusal(long enterpriseId, String number) {
        Account a = account(enterpriseId);
        TollPolicy p = a.policy;
        String digits = number.startsWith("+") ? number.substring(1) : number;
        Instant now = clock.instant();
        Limit limit = null;
        String detail = null;
        boolean abroad = number.startsWith("+") ? !digits.startsWith(p.countryCode())
                : digits.startsWith("00") && !digits.startsWith("00" + p.countryCode());
        if (abroad && !p.international()) { // never null: the record's constructor makes it false
            limit = Limit.INTERNATIONAL;
        } else if (!p.allowedPrefixes().isEmpty() && p.allowedPrefixes().stream().noneMatch(digits::startsWith)) {
            limit = Limit.PREFIX;
            detail = "allowed: " + String.join(", ", p.allowedPrefixes());
        }
        synchronized (a) {
            long m = minute(now);
            if (limit == null) {
                int hour = a.calls(m, 60);
                int day = a.calls(m, MINUTES_PER_DAY);
                if (p.maxCallsPerHour() != null && hour >= p.maxCallsPerHour()) {
                    limit = Limit.CALLS_PER_HOUR;
                    detail = hour + " of " + p.maxCallsPerHour();
                } else if (p.maxCallsPerDay() != null && day >= p.maxCallsPerDay()) {
                    limit = Limit.CALLS_PER_DAY;
                    detail = day + " of " + p.maxCallsPerDay();
                } else if (p.maxMinutesPerHour() != null && a.minutesLastHour >= p.maxMinutesPerHour()) {
                    limit = Limit.MINUTES_PER_HOUR;
                    detail = a.minutesLastHour + " of " + p.maxMinutesPerHour();
                } else if (p.maxMinutesPerDay() != null && a.minutesLastDay >= p.maxMinutesPerDay()) {
                    limit = Limit.MINUTES_PER_DAY;
                    detail = a.minutesLastDay + " of " + p.maxMinutesPerDay();
                } else if (p.maxSpendPerDay() != null && a.spendLastDay.compareTo(p.maxSpendPerDay()) >= 0) {
                    limit = Limit.SPEND_PER_DAY;
                    detail = a.spendLastDay.toPlainString() + " of " + p.maxSpendPerDay().toPlainString();
                }
            }
            if (limit == null) {
                a.count(m, 1);
                return Optional.empty();
            }
            Refusal r = new Refusal(enterpriseId, limit, number, detail, now);
            Refusal before = a.lastRefusal.put(limit, r);
            if (before == null || Duration.between(before.at(), now).compareTo(ALERT_FOR) >= 0) {
                try {
                    firstOfKind.accept(r);
                } catch (RuntimeException e) {
                    log.warn("toll alert for enterprise {}: {}", enterpriseId, e.toString());
                }
            }
            return Optional.of("toll limit: " + limit.text + (detail == null ? "" : " (" + detail + ")"));
        }
    }

    /** Refusals of the last {@link #ALERT_FOR}, newest first. */
    public List<Refusal> recentRefusals(long enterpriseId) {
        Account a = accounts.get(enterpriseId);
        if (a == null) return List.of();
        Instant since = clock.instant().minus(ALERT_FOR);
        List<Refusal> out = new ArrayList<>();
        synchronized (a) {
            for (Refusal r : a.lastRefusal.values()) if (r.at().isAfter(since)) out.add(r);
        }
        out.sort((x, y) -> y.at().compareTo(x.at()));
        return out;
    }

    public Usage usage(long enterpriseId) {
        Account a = account(enterpriseId);
        long m = minute(clock.instant());
        int hour;
        int day;
        synchronized (a) {
            hour = a.calls(m, 60);
            day = a.calls(m, MINUTES_PER_DAY);
        }
        return new Usage(hour, day, a.minutesLastHour, a.minutesLastDay, a.spendLastDay, recentRefusals(enterpriseId));
    }

    /**
     * Reads back the billed minutes and spend of the enterprises whose policy limits them (every few seconds, on the
     * housekeeping thread): the charges of calls that ended in the last hour and day.
     */
    public void refreshCharges() {
        Instant now = clock.instant();
        List<Map.Entry<Long, Account>> limited = accounts.entrySet().stream().filter(en -> en.getValue().policy.countsCharges()).toList();
        if (limited.isEmpty()) return;
        jdbi.useHandle(h -> {
            for (Map.Entry<Long, Account> en : limited) {
                Account a = en.getValue();
                // answered_at is indexed; a call answered over a day ago and still going is not counted until it is done
                var row = h.createQuery("""
                        SELECT COALESCE(SUM(CASE WHEN ended_at >= :hour THEN billed_seconds ELSE 0 END), 0) AS hour_seconds,
                               COALESCE(SUM(billed_seconds), 0) AS day_seconds, COALESCE(SUM(amount), 0) AS spend
                        FROM call_charge WHERE enterprise_id = :e AND answered_at >= :oldest AND ended_at >= :day""")
                        .bind("e", en.getKey()).bind("hour", Timestamp.from(now.minus(Duration.ofHours(1))))
                        .bind("day", Timestamp.from(now.minus(Duration.ofDays(1))))
                        .bind("oldest", Timestamp.from(now.minus(Duration.ofDays(2))))
                        .map((rs, c) -> new Object[] {rs.getLong("hour_seconds"), rs.getLong("day_seconds"), rs.getBigDecimal("spend")})
                        .one();
                a.minutesLastHour = ((Long) row[0] + 59) / 60;
                a.minutesLastDay = ((Long) row[1] + 59) / 60;
                a.spendLastDay = row[2] == null ? BigDecimal.ZERO : (BigDecimal) row[2];
            }
        });
    }
}
