package dev.hotline.acd;

import dev.hotline.report.CallRecordStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** What the ACD reads from the database, always off its dispatcher thread. */
interface AcdData {
    /** Queues, members, skills and agents, in one go. */
    AcdConfig config();

    /** Every agent's last logged state (what a restart restores). */
    List<AgentStore.LastState> lastStates();

    /** ACD-4 sticky agent: who served {@code caller} last since {@code since}. */
    Optional<Long> lastAgent(long enterpriseId, String caller, Instant since);

    /** ACD-3 / ACD-4: the CRM's routing of a caller (their tier's priority, their record's owner); empty when none. */
    default Optional<CustomerRouting.Caller> customer(long enterpriseId, String caller) {
        return Optional.empty();
    }

    /** ACD-6: a call back now owed (kept across a restart until {@link #callbackEnded}). */
    default void keepCallback(CallbackStore.Kept k, Instant askedAt) {}

    /** ACD-6: the call back {@code callId} is no longer owed ({@code result}: how it ended). */
    default void callbackEnded(String callId, String result, Instant at) {}

    /** ACD-6: the call backs still owed (what a restart puts back in the queues). */
    /** Forgets call backs done before {@code before}; answers how many. */
    default int pruneCallbacks(Instant before) {
        return 0;
    }

    default List<CallbackStore.Kept> keptCallbacks() {
        return List.of();
    }

    /** True when {@link #customer} may answer something: every queued caller is then looked up before being offered. */
    default boolean knowsCustomers() {
        return false;
    }

    static AcdData of(Jdbi jdbi, CustomerRouting customers) {
        return new AcdData() {
            @Override
            public Optional<CustomerRouting.Caller> customer(long enterpriseId, String caller) {
                return customers.of(enterpriseId, caller);
            }

            @Override
            public boolean knowsCustomers() {
                return customers != CustomerRouting.NONE;
            }

            @Override
            public AcdConfig config() {
                return jdbi.withHandle(AcdConfig::load);
            }

            @Override
            public List<AgentStore.LastState> lastStates() {
                return jdbi.withHandle(AgentStore::lastStates);
            }

            @Override
            public void keepCallback(CallbackStore.Kept k, Instant askedAt) {
                jdbi.useHandle(h -> CallbackStore.keep(h, k, askedAt));
            }

            @Override
            public void callbackEnded(String callId, String result, Instant at) {
                jdbi.useHandle(h -> CallbackStore.ended(h, callId, result, at));
            }

            @Override
            public int pruneCallbacks(Instant before) {
                return jdbi.withHandle(h -> CallbackStore.prune(h, before));
            }

            @Override
            public List<CallbackStore.Kept> keptCallbacks() {
                return jdbi.withHandle(CallbackStore::waiting);
            }

            @Override
            public Optional<Long> lastAgent(long enterpriseId, String caller, Instant since) {
                return jdbi.withHandle(h -> CallRecordStore.lastAgent(h, enterpriseId, caller, since));
            }
        };
    }
}
