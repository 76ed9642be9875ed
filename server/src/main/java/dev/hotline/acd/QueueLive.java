package dev.hotline.acd;

import java.util.Map;

/**
 * Real-time figures of one queue, kept in memory by the dispatcher (ACD-6 item 6): callers waiting,
 * the longest wait, agents by state, and today's counters since start.
 */
public record QueueLive(long queueId, String name, int waiting, long longestWaitSeconds, Map<AgentState, Integer> agents,
                        long entered, long answered, long abandoned, long overflowed) {}
