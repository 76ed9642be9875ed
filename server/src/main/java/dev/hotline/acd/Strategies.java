package dev.hotline.acd;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Which free agents are offered a call (ACD-1, ACD-2). Pure: the same agents, memory and call always
 * give the same answer (RANDOM aside), so each strategy is unit-tested against a fixed sequence.
 * <p>
 * Candidates are first narrowed to the best tier: the lowest penalty in the queue, then the best
 * skill match (sum of the agent's levels in the queue's required skills). The strategy chooses in
 * that tier:
 * <ul>
 * <li>ring all: every agent of the tier at once; the first to answer takes the call;</li>
 * <li>random: any one;</li>
 * <li>round robin with memory: the next member after the one offered last (every offer moves the turn);</li>
 * <li>linear: always the first member in order;</li>
 * <li>linear continuing: the next member after the one who answered last (a missed offer does not move the turn);</li>
 * <li>fewest calls / fewest answered: the fewest offers / answers since login;</li>
 * <li>longest idle: free for the longest time (since login, their last call, or their wrap-up ending).</li>
 * </ul>
 * Ties go to member order.
 */
final class Strategies {
    private Strategies() {}

    /** What the queue remembers between calls. */
    static final class Memory {
        Long lastOffered;
        Long lastAnswered;
    }

    /**
     * @param members    the queue's members in order (penalty, then the order they were added); user ids
     * @param penalties  user id → penalty in this queue
     * @param candidates free agents who may take this call (skills already checked)
     * @param required   the queue's required skills (empty: none), for the skill tier
     */
    static List<Agent> choose(Queue.Strategy strategy, List<Long> members, Map<Long, Integer> penalties, List<Agent> candidates,
                              List<QueueSettings.SkillRequirement> required, Memory memory, RandomGenerator random) {
        if (candidates.isEmpty()) return List.of();
        List<Agent> tier = bestTier(members, penalties, candidates, required);
        return switch (strategy) {
            case RING_ALL -> tier;
            case RANDOM -> List.of(tier.get(random.nextInt(tier.size())));
            case LINEAR -> List.of(tier.get(0));
            case ROUND_ROBIN -> List.of(after(members, tier, memory.lastOffered));
            case LINEAR_CONTINUE -> List.of(after(members, tier, memory.lastAnswered));
            case FEWEST_CALLS -> List.of(tier.stream().min(Comparator.comparingInt(a -> a.offered)).orElseThrow());
            case FEWEST_ANSWERED -> List.of(tier.stream().min(Comparator.comparingInt(a -> a.answered)).orElseThrow());
            case LONGEST_IDLE -> List.of(tier.stream().min(Comparator.comparing(a -> a.idleSince == null ? Instant.MIN : a.idleSince))
                    .orElseThrow());
        };
    }

    /** The candidates of the lowest penalty and, among them, the best skill score; in member order. */
    static List<Agent> bestTier(List<Long> members, Map<Long, Integer> penalties, List<Agent> candidates,
                                List<QueueSettings.SkillRequirement> required) {
        List<Agent> ordered = new ArrayList<>(candidates);
        ordered.sort(Comparator.comparingInt((Agent a) -> penalties.getOrDefault(a.userId, 0))
                .thenComparing(Comparator.comparingInt((Agent a) -> score(a, required)).reversed())
                .thenComparingInt(a -> members.indexOf(a.userId)));
        Agent best = ordered.get(0);
        int p = penalties.getOrDefault(best.userId, 0);
        int s = score(best, required);
        return ordered.stream().filter(a -> penalties.getOrDefault(a.userId, 0) == p && score(a, required) == s).toList();
    }

    /** Sum of the agent's levels in the required skills (0 when the queue requires none). */
    static int score(Agent a, List<QueueSettings.SkillRequirement> required) {
        int sum = 0;
        for (var r : required) sum += a.skills.getOrDefault(r.skill(), 0);
        return sum;
    }

    /** True when the agent has every required skill at its minimum level. */
    static boolean qualifies(Agent a, List<QueueSettings.SkillRequirement> required) {
        for (var r : required) if (a.skills.getOrDefault(r.skill(), 0) < r.minLevel()) return false;
        return true;
    }

    /** The first agent of {@code tier} after {@code last} in member order, wrapping round. */
    private static Agent after(List<Long> members, List<Agent> tier, Long last) {
        int start = last == null ? -1 : members.indexOf(last);
        int n = members.size();
        for (int i = 1; i <= n; i++) {
            long id = members.get(Math.floorMod(start + i, n));
            for (Agent a : tier) if (a.userId == id) return a;
        }
        return tier.get(0);
    }
}
