package dev.hotline.acd;

import java.util.Map;

/**
 * Real-time figures of one queue, kept in memory by the dispatcher (ACD-6 item 6): callers waiting,
 * the longest wait, agents by state, and today's counters since start. {@code unreachable}: members signed in and ready
 * whose device cannot ring now (a SIP phone that is not registered); the dispatcher offers them nothing, so they are
 * not counted as {@code ready} in {@code agents} (issue 14: the monitor and the ACD agree on who can take a call).
 */
public record QueueLive(long queueId, String name, int waiting, long longestWaitSeconds, Map<AgentState, Integer> agents,
                        int unreachable, long entered, long answered, long abandoned, long overflowed) {}
