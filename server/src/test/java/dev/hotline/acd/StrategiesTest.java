package dev.hotline.acd;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * ACD-1/ACD-2: which agent each strategy offers each call to, against a fixed agent set and call
 * sequence. Agents 1, 2, 3 are members in that order; a call is offered, answered by the one
 * offered, and the agent is free again before the next call (unless a test says otherwise).
 */
class StrategiesTest {
    final List<Long> members = List.of(1L, 2L, 3L);
    final Map<Long, Integer> penalties = new HashMap<>(Map.of(1L, 0, 2L, 0, 3L, 0));
    final Map<Long, Agent> agents = new HashMap<>();
    final Strategies.Memory memory = new Strategies.Memory();
    Instant now = Instant.parse("2026-11-25T08:00:00Z");

    StrategiesTest() {
        for (long id : members) {
            Agent a = new Agent(1, id);
            a.idleSince = now.minusSeconds(100 - id); // agent 1 idle longest at first
            agents.put(id, a);
        }
    }

    List<Agent> free(long... ids) {
        List<Agent> out = new ArrayList<>();
        for (long id : ids) out.add(agents.get(id));
        return out;
    }

    /** Offers {@code calls} calls to all three free agents; the chosen agent answers, talks a minute, is free again. */
    List<Long> run(Queue.Strategy s, int calls) {
        List<Long> got = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            List<Agent> chosen = Strategies.choose(s, members, penalties, free(1, 2, 3), List.of(), memory, new Random(7));
            assertThat(chosen).hasSize(1);
            Agent a = chosen.get(0);
            a.offered++;
            a.answered++;
            memory.lastOffered = a.userId;
            memory.lastAnswered = a.userId;
            now = now.plusSeconds(60);
            a.idleSince = now;
            got.add(a.userId);
        }
        return got;
    }

    @Test
    void ringAllOffersEveryFreeAgent() {
        assertThat(Strategies.choose(Queue.Strategy.RING_ALL, members, penalties, free(1, 2, 3), List.of(), memory, new Random()))
                .extracting(a -> a.userId).containsExactly(1L, 2L, 3L);
    }

    @Test
    void roundRobinTakesTurnsAndRemembersTheLastOffered() {
        assertThat(run(Queue.Strategy.ROUND_ROBIN, 6)).containsExactly(1L, 2L, 3L, 1L, 2L, 3L);
        // An offer that rang out still moves the turn on.
        memory.lastOffered = 1L;
        memory.lastAnswered = 3L;
        assertThat(Strategies.choose(Queue.Strategy.ROUND_ROBIN, members, penalties, free(1, 2, 3), List.of(), memory, new Random()))
                .extracting(a -> a.userId).containsExactly(2L);
    }

    @Test
    void linearAlwaysStartsAtTheFirstFreeMember() {
        assertThat(run(Queue.Strategy.LINEAR, 4)).containsOnly(1L);
        assertThat(Strategies.choose(Queue.Strategy.LINEAR, members, penalties, free(2, 3), List.of(), memory, new Random()))
                .extracting(a -> a.userId).containsExactly(2L);
    }

    @Test
    void linearContinuingMovesOnlyOnAnAnswer() {
        assertThat(run(Queue.Strategy.LINEAR_CONTINUE, 6)).containsExactly(1L, 2L, 3L, 1L, 2L, 3L);
        memory.lastOffered = 1L; // agent 1 was offered and missed it: the turn stays after the last answer (3)
        memory.lastAnswered = 3L;
        assertThat(Strategies.choose(Queue.Strategy.LINEAR_CONTINUE, members, penalties, free(1, 2, 3), List.of(), memory, new Random()))
                .extracting(a -> a.userId).containsExactly(1L);
    }

    @Test
    void fewestCallsAndFewestAnsweredCountSinceLogin() {
        agents.get(1L).offered = 5;
        agents.get(2L).offered = 2;
        agents.get(3L).offered = 2;
        agents.get(1L).answered = 0;
        agents.get(2L).answered = 2;
        agents.get(3L).answered = 1;
        assertThat(Strategies.choose(Queue.Strategy.FEWEST_CALLS, members, penalties, free(1, 2, 3), List.of(), memory, new Random()))
                .extracting(a -> a.userId).containsExactly(2L); // tie 2/3 goes to member order
        assertThat(Strategies.choose(Queue.Strategy.FEWEST_ANSWERED, members, penalties, free(1, 2, 3), List.of(), memory, new Random()))
                .extracting(a -> a.userId).containsExactly(1L);
    }

    @Test
    void longestIdleGoesToWhoWaitedLongest() {
        assertThat(run(Queue.Strategy.LONGEST_IDLE, 6)).containsExactly(1L, 2L, 3L, 1L, 2L, 3L);
        agents.get(3L).idleSince = Instant.parse("2026-11-25T07:00:00Z");
        assertThat(Strategies.choose(Queue.Strategy.LONGEST_IDLE, members, penalties, free(1, 2, 3), List.of(), memory, new Random()))
                .extracting(a -> a.userId).containsExactly(3L);
    }

    @Test
    void randomPicksOneFreeAgentSpreadingCalls() {
        Map<Long, Integer> counts = new HashMap<>();
        Random r = new Random(42);
        for (int i = 0; i < 300; i++) {
            List<Agent> c = Strategies.choose(Queue.Strategy.RANDOM, members, penalties, free(1, 2, 3), List.of(), memory, r);
            assertThat(c).hasSize(1);
            counts.merge(c.get(0).userId, 1, Integer::sum);
        }
        assertThat(counts).containsOnlyKeys(1L, 2L, 3L).allSatisfy((k, v) -> assertThat(v).isBetween(70, 130));
    }

    @Test
    void lowerPenaltyIsOfferedFirstThenTheStrategyAppliesInThatTier() {
        penalties.put(1L, 2);
        assertThat(Strategies.choose(Queue.Strategy.RING_ALL, members, penalties, free(1, 2, 3), List.of(), memory, new Random()))
                .extracting(a -> a.userId).containsExactly(2L, 3L);
        assertThat(Strategies.choose(Queue.Strategy.LINEAR, members, penalties, free(1, 3), List.of(), memory, new Random()))
                .extracting(a -> a.userId).containsExactly(3L);
        assertThat(Strategies.choose(Queue.Strategy.LINEAR, members, penalties, free(1), List.of(), memory, new Random()))
                .extracting(a -> a.userId).containsExactly(1L);
    }

    @Test
    void theBetterMatchingAgentWinsAndTheUnqualifiedAreNotOffered() {
        var need = List.of(new QueueSettings.SkillRequirement("english", 3), new QueueSettings.SkillRequirement("billing", 1));
        agents.get(1L).skills.putAll(Map.of("english", 5, "billing", 3));
        agents.get(2L).skills.putAll(Map.of("english", 3, "billing", 9));
        agents.get(3L).skills.putAll(Map.of("billing", 9));
        assertThat(Strategies.qualifies(agents.get(1L), need)).isTrue();
        assertThat(Strategies.qualifies(agents.get(3L), need)).isFalse();
        // 2 scores 12, 1 scores 8: ring all rings the best tier only.
        assertThat(Strategies.choose(Queue.Strategy.RING_ALL, members, penalties, free(1, 2), need, memory, new Random()))
                .extracting(a -> a.userId).containsExactly(2L);
    }
}
