package dev.hotline.billing;

import dev.hotline.monitor.MonitorSettings;
import dev.hotline.report.CallLogEvent;
import dev.hotline.report.CallRecord;
import dev.hotline.report.CallRecordStore;
import dev.hotline.report.LogEvent;
import dev.hotline.report.Projection;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Rates calls when they end (RPT-5), as a projection of the call event log: it runs on the log's writer thread, in the
 * transaction that writes the events, never on a call's thread. It follows each leg dialled through a trunk (the
 * {@code dialing} event names the trunk and the number sent to it; a call that begins with a leg placed through a trunk, such
 * as a campaign's or a web call-back's, names them in its {@code arrived} event), and each call that came in through a trunk
 * ({@code arrived}, inbound: the number called), its answer and its hang-up; when the call closes, every answered outbound
 * trunk leg is rated with the trunk's outbound rate table and stored in {@code call_charge}, unrated when no rate matches; an
 * inbound call is rated and stored only when its trunk has an inbound rate table. The rate's period is chosen by the leg's
 * answer in the enterprise's time zone (the monitor's setting, else the server's).
 * Legs that were never answered cost nothing and are not stored. Each charge is added to the day roll-up ({@link ChargeDays},
 * days in the server's zone) in the same transaction.
 */
public final class CallRating implements Projection {
    /** What {@code OutboundPlan.label()} writes as a trunk leg's dialling target: "trunk NAME NUMBER". */
    static final String TRUNK_TARGET = "trunk ";
    /** Calls followed at most (the oldest forgotten): far more than can be in progress at once. */
    private static final int MAX_CALLS = 20_000;
    /** A call that started more than this before a restart is not looked for (no call lasts so long). */
    private static final Duration LONGEST_CALL = Duration.ofDays(7);

    /** A leg dialled through a trunk. */
    private static final class Leg {
        final String direction;
        final String trunk;
        final String number;
        Instant answeredAt;
        Instant endedAt;

        Leg(String direction, String trunk, String number) {
            this.direction = direction;
            this.trunk = trunk;
            this.number = number;
        }
    }

    /**
     * Trunk legs by call, then leg. A closed call stays until forgotten: should its transaction roll back, the event log
     * writes the events again and the call is rated again (saving a charge replaces an earlier one).
     */
    /** The zone of the day roll-up's days (the server's). */
    private final ZoneId zone;

    public CallRating(ZoneId zone) {
        this.zone = zone;
    }

    private final Map<String, Map<String, Leg>> calls = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Map<String, Leg>> eldest) {
            return size() > MAX_CALLS;
        }
    };

    @Override
    public void apply(Handle h, LogEvent event) {
        if (event instanceof CallLogEvent.Dialing d) {
            trunkTarget(d.target()).ifPresent(t -> calls.computeIfAbsent(d.callId(), k -> new LinkedHashMap<>())
                    .put(d.channelId(), new Leg(RateTable.OUTBOUND, t.trunk(), t.number())));
        } else if (event instanceof CallLogEvent.Arrived a && a.trunk() != null && a.callee() != null
                && (a.direction().equals(RateTable.INBOUND) || a.direction().equals(RateTable.OUTBOUND))) {
            calls.computeIfAbsent(a.callId(), k -> new LinkedHashMap<>()).put(a.channelId(), new Leg(a.direction(), a.trunk(), a.callee()));
        } else if (event instanceof CallLogEvent.Answered a) {
            Leg leg = leg(a.callId(), a.channelId());
            if (leg != null && leg.answeredAt == null) leg.answeredAt = a.at();
        } else if (event instanceof CallLogEvent.HungUp u) {
            Leg leg = leg(u.callId(), u.channelId());
            if (leg != null && leg.endedAt == null) leg.endedAt = u.at();
        } else if (event instanceof CallLogEvent.Closed c) {
            Map<String, Leg> legs = calls.get(c.callId());
            if (legs != null) rate(h, zone, c.enterpriseId(), c.record(), c.at(), legs, tablesOf(h));
        }
    }

    /**
     * The rate tables read in the event log's current transaction, by enterprise, direction and trunk: the calls closing in
     * one batch are rated with one read of their trunk's table (a query each call was 6 % of the server's samples at
     * 100 calls/s, nearly all for inbound calls of a trunk without an inbound table). Forgotten with the transaction.
     */
    private final Map<String, Optional<RateTable>> tables = new HashMap<>();
    private Handle tablesHandle;

    private Map<String, Optional<RateTable>> tablesOf(Handle h) {
        if (tablesHandle != h) { // a new transaction (a failed one's reads go with it)
            tables.clear();
            tablesHandle = h;
        }
        return tables;
    }

    @Override
    public void flush(Handle h) {
        tables.clear();
        tablesHandle = null;
    }

    private Leg leg(String callId, String channelId) {
        Map<String, Leg> legs = calls.get(callId);
        return legs == null ? null : legs.get(channelId);
    }

    private static void rate(Handle h, ZoneId zone, long enterpriseId, CallRecord record, Instant closedAt, Map<String, Leg> legs,
                             Map<String, Optional<RateTable>> tables) {
        Long agent = null;
        Long department = null;
        ZoneId local = null;
        for (Map.Entry<String, Leg> en : legs.entrySet()) {
            Leg leg = en.getValue();
            if (leg.answeredAt == null) continue;
            Optional<RateTable> table = tables.computeIfAbsent(enterpriseId + " " + leg.direction + " " + leg.trunk,
                    k -> BillingStore.tableOfTrunk(h, enterpriseId, leg.trunk, leg.direction));
            // An inbound call costs the enterprise only where its trunk's inbound calls are priced (toll-free numbers).
            if (leg.direction.equals(RateTable.INBOUND) && table.isEmpty()) continue;
            if (local == null) {
                // Looked up once a leg is charged: most inbound calls have none, and these were two queries for each.
                local = MonitorSettings.load(h, enterpriseId).zone(zone);
                agent = record.agentUserId();
                if (agent == null && record.extension() != null) agent = BillingStore.userOfExtension(h, enterpriseId, record.extension()).orElse(null);
                department = agent == null ? null : BillingStore.departmentOf(h, enterpriseId, agent).orElse(null);
            }
            Instant ended = leg.endedAt != null ? leg.endedAt : closedAt;
            Charge charge = Charge.rate(record.callId(), en.getKey(), leg.direction, leg.trunk, leg.number, leg.answeredAt, ended,
                    Charge.talk(leg.answeredAt, ended), agent, department, table, local);
            ChargeDays.save(h, enterpriseId, zone, charge);
        }
    }

    /**
     * Rates the trunk legs of the calls the last run left unfinished, which the event log closed as system_restart at this
     * start (their records end at or after {@code closedSince}); the event log closes them without its projections. A leg
     * still up when the server stopped is billed up to the last event logged before the stop, as its call record counts
     * the talk (the real end is unknown). Returns how many legs were rated.
     */
    public static int rateCallsClosedByRestart(Jdbi jdbi, Instant closedSince, ZoneId zone) {
        return jdbi.inTransaction(h -> {
            int rated = 0;
            for (long enterpriseId : h.createQuery("SELECT id FROM enterprise").mapTo(Long.class).list()) {
                List<String> calls = h.createQuery("""
                        SELECT r.call_id FROM call_record r WHERE r.enterprise_id = :e AND r.started_at >= :oldest
                        AND r.hangup_cause = 'system_restart' AND r.ended_at >= :since
                        AND NOT EXISTS (SELECT 1 FROM call_charge c WHERE c.call_id = r.call_id)""")
                        .bind("e", enterpriseId).bind("oldest", Timestamp.from(closedSince.minus(LONGEST_CALL)))
                        .bind("since", Timestamp.from(closedSince)).mapTo(String.class).list();
                for (String callId : calls) rated += rateReadBack(h, zone, enterpriseId, callId);
            }
            return rated;
        });
    }

    /**
     * Rates the trunk legs of one call the system closed after start (OPS-3: a node taking an enterprise over closes the calls
     * a failed node left open), from its logged events, in the caller's transaction, as {@link #rateCallsClosedByRestart} does
     * at start. Returns how many legs were rated.
     */
    public static int rateClosedCall(Handle h, ZoneId zone, long enterpriseId, String callId) {
        return rateReadBack(h, zone, enterpriseId, callId);
    }

    private static int rateReadBack(Handle h, ZoneId zone, long enterpriseId, String callId) {
        CallRating fold = new CallRating(zone);
        Optional<CallRecord> record = CallRecordStore.byId(h, enterpriseId, callId);
        Instant last = null;
        for (CallRecordStore.LoggedEvent e : CallRecordStore.timeline(h, enterpriseId, callId)) {
            if (e.type().equals("closed")) continue;
            last = e.at();
            switch (e.type()) {
                case "dialing" -> fold.apply(h, new CallLogEvent.Dialing(enterpriseId, callId, e.at(), e.channelId(),
                        e.data() != null && e.data().startsWith("target=") ? e.data().substring("target=".length()) : null));
                case "arrived" -> record.ifPresent(r -> fold.apply(h, new CallLogEvent.Arrived(enterpriseId, callId,
                        e.at(), e.channelId(), r.direction(), r.caller(), r.callee(), r.trunk(), r.extension())));
                case "answered" -> fold.apply(h, new CallLogEvent.Answered(enterpriseId, callId, e.at(), e.channelId()));
                case "hangup" -> fold.apply(h, new CallLogEvent.HungUp(enterpriseId, callId, e.at(), e.channelId(), null, 0));
                default -> { }
            }
        }
        Map<String, Leg> legs = fold.calls.get(callId);
        if (legs == null || last == null || record.isEmpty()) return 0;
        rate(h, zone, enterpriseId, record.get(), last, legs, new HashMap<>());
        return (int) legs.values().stream().filter(l -> l.answeredAt != null).count();
    }

    /**
     * Rates again every charge of calls answered in [from, to) with the rate tables as they are now (after a rate change);
     * returns how many were rated again. The day roll-up rows of every day the range touches are built again from the
     * charges (days in {@code zone}, the server's), in the caller's transaction.
     */
    public static int rerate(Handle h, long enterpriseId, ZoneId zone, Instant from, Instant to) {
        ChargeDays.lock(h, enterpriseId);
        ZoneId local = MonitorSettings.load(h, enterpriseId).zone(zone);
        Map<String, Optional<RateTable>> tables = new HashMap<>();
        int n = 0;
        for (Charge c : BillingStore.charges(h, enterpriseId, from, to, 0, Integer.MAX_VALUE)) {
            var table = tables.computeIfAbsent(c.direction() + " " + c.trunk(), k -> BillingStore.tableOfTrunk(h, enterpriseId, c.trunk(),
                    c.direction()));
            BillingStore.saveCharge(h, enterpriseId, Charge.rate(c.callId(), c.legId(), c.direction(), c.trunk(), c.number(), c.answeredAt(),
                    c.endedAt(), c.talkSeconds(), c.agentUserId(), c.departmentId(), table, local));
            n++;
        }
        ChargeDays.rebuild(h, enterpriseId, zone, from, to);
        return n;
    }

    /**
     * Builds the day roll-up of charges again when it was kept in another zone than {@code zone} (the server's), or never
     * (the first start after it was added); run at start, before the calls are taken. Returns whether it did.
     */
    public static boolean rebuildDaysIfZoneChanged(Jdbi jdbi, ZoneId zone) {
        return ChargeDays.rebuildIfZoneChanged(jdbi, zone);
    }

    /** A dialling target naming a trunk and the number sent to it. */
    record TrunkTarget(String trunk, String number) {}

    /** Reads "trunk NAME NUMBER" (a name may hold spaces; a number never does); anything else is not a trunk leg. */
    static Optional<TrunkTarget> trunkTarget(String target) {
        if (target == null || !target.startsWith(TRUNK_TARGET)) return Optional.empty();
        String rest = target.substring(TRUNK_TARGET.length());
        int space = rest.lastIndexOf(' ');
        if (space <= 0 || space == rest.length() - 1) return Optional.empty();
        return Optional.of(new TrunkTarget(rest.substring(0, space), rest.substring(space + 1)));
    }
}
