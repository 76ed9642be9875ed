package dev.hotline.report;

import dev.hotline.app.Config;
import java.time.Instant;
import org.jdbi.v3.core.Jdbi;

/**
 * Call records written straight into the store of a running test server, for the pages that show them
 * (the console's call records, issue 14): one record of each disposition without placing every call.
 */
public final class CallRecordFixture {
    private CallRecordFixture() {}

    /** A finished inbound call to 4000 with the given business result, at {@code startedAt}. */
    public static CallRecord inbound(String callId, String caller, Instant startedAt, CallRecord.Outcome outcome, CallRecord.Disposition d,
                                     String queue, Long agentUserId, String agentJob, Long waitMs, String queueResult, String ivrPath,
                                     int holdCount, int holdSeconds, int transfers) {
        boolean answered = outcome == CallRecord.Outcome.ANSWERED;
        return new CallRecord(callId, "inbound", caller, "4000", "loopback", null, startedAt, answered ? startedAt.plusSeconds(2) : null,
                startedAt.plusSeconds(95), answered ? 93 : 0, outcome, "normal_clearing", "caller", 200, queue, agentUserId, agentJob,
                waitMs, queueResult, d, ivrPath, holdCount, holdSeconds, transfers, null, null);
    }

    /** Writes {@code records} for the enterprise with code {@code enterpriseCode} into the server's database. */
    public static void insert(Config cfg, String enterpriseCode, CallRecord... records) {
        Jdbi jdbi = Jdbi.create(cfg.dbUrl(), cfg.dbUser(), cfg.dbPassword());
        jdbi.useTransaction(h -> {
            long enterpriseId = h.createQuery("SELECT id FROM enterprise WHERE code = :c").bind("c", enterpriseCode).mapTo(Long.class).one();
            for (CallRecord r : records) CallRecordStore.insert(h, enterpriseId, r);
        });
    }
}
