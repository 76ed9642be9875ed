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

    static AcdData of(Jdbi jdbi) {
        return new AcdData() {
            @Override
            public AcdConfig config() {
                return jdbi.withHandle(AcdConfig::load);
            }

            @Override
            public List<AgentStore.LastState> lastStates() {
                return jdbi.withHandle(AgentStore::lastStates);
            }

            @Override
            public Optional<Long> lastAgent(long enterpriseId, String caller, Instant since) {
                return jdbi.withHandle(h -> CallRecordStore.lastAgent(h, enterpriseId, caller, since));
            }
        };
    }
}
