package dev.hotline.engine.call;

import java.util.List;

/**
 * SIP messages counted since the engine started (OPS-4): requests received, and responses received and sent by class
 * ({@code responsesIn.get(0)} the 1xx, ... {@code get(5)} the 6xx).
 */
public record SipStats(long requestsIn, List<Long> responsesIn, List<Long> responsesOut) {}
