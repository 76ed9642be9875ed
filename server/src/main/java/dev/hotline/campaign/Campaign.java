package dev.hotline.campaign;

import java.time.Instant;

/** One outbound campaign as stored and shown. */
public record Campaign(long id, String name, DialMode mode, CampaignState state, CampaignSettings settings, Instant createdAt,
                       Instant stateAt) {}
