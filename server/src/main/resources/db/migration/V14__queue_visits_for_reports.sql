-- Reports (RPT-2, RPT-3): tables kept from the event log by report.ReportProjection, in the same transaction as the events.

-- One row per time a call joined a queue: what came of it (null while the caller still waits), the wait, the agent,
-- and the agent's handling (talk without hold, hold, wrap-up) of the answered call.
CREATE TABLE queue_visit (
    enterprise_id  BIGINT       NOT NULL REFERENCES enterprise(id),
    call_id        VARCHAR(64)  NOT NULL,
    seq            INTEGER      NOT NULL,              -- 1 = the call's first queue, 2 = the next (overflow, transfer) ...
    queue          VARCHAR(64)  NOT NULL,
    joined_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    slot           BIGINT       NOT NULL,              -- joined_at in 15-minute slots since 1970 (report buckets are built of slots)
    result         VARCHAR(16),                        -- answered | abandoned | overflow | voicemail | callback; NULL still waiting
    reason         VARCHAR(32),                        -- overflow: max_wait | full | no_agents; abandoned: queued | ringing
    ended_at       TIMESTAMP WITH TIME ZONE,           -- when the result was known
    wait_ms        BIGINT,
    agent_user_id  BIGINT,
    talk_ms        BIGINT       DEFAULT 0 NOT NULL,
    hold_ms        BIGINT       DEFAULT 0 NOT NULL,
    wrap_ms        BIGINT       DEFAULT 0 NOT NULL,
    transfers      INTEGER      DEFAULT 0 NOT NULL,
    in_target      BOOLEAN      DEFAULT FALSE NOT NULL, -- answered within the queue's service level target (as set then)
    short_abandon  BOOLEAN      DEFAULT FALSE NOT NULL, -- abandoned within the queue's short abandon threshold (as set then)
    PRIMARY KEY (call_id, seq)
);
CREATE INDEX ix_queue_visit_slot ON queue_visit (enterprise_id, slot);
CREATE INDEX ix_queue_visit_agent ON queue_visit (agent_user_id, call_id);

-- One row per offer of a queue call to an agent's device.
CREATE TABLE queue_offer (
    enterprise_id  BIGINT       NOT NULL REFERENCES enterprise(id),
    call_id        VARCHAR(64)  NOT NULL,
    channel_id     VARCHAR(64)  NOT NULL,
    queue          VARCHAR(64),
    agent_user_id  BIGINT       NOT NULL,
    offered_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    slot           BIGINT       NOT NULL,
    result         VARCHAR(16),                        -- answered | no_answer | busy | failed | cancelled; NULL ringing
    PRIMARY KEY (call_id, channel_id)
);
CREATE INDEX ix_queue_offer_slot ON queue_offer (enterprise_id, slot);

-- Roll-ups per 15-minute slot, kept in step with the rows above in the same transactions (each change of a visit,
-- an offer or a call record adds its difference): the reports read these, so a year of a million calls is a few
-- thousand rows. "Still waiting" is offered minus every result.
CREATE TABLE queue_stat (
    enterprise_id      BIGINT       NOT NULL REFERENCES enterprise(id),
    slot               BIGINT       NOT NULL,
    queue              VARCHAR(64)  NOT NULL,
    offered            BIGINT       DEFAULT 0 NOT NULL,
    answered           BIGINT       DEFAULT 0 NOT NULL,
    answered_in_target BIGINT       DEFAULT 0 NOT NULL,
    abandoned          BIGINT       DEFAULT 0 NOT NULL,
    short_abandoned    BIGINT       DEFAULT 0 NOT NULL,
    abandoned_ringing  BIGINT       DEFAULT 0 NOT NULL,
    overflowed         BIGINT       DEFAULT 0 NOT NULL,
    voicemail          BIGINT       DEFAULT 0 NOT NULL,
    callback           BIGINT       DEFAULT 0 NOT NULL,
    answer_wait_ms     BIGINT       DEFAULT 0 NOT NULL,
    abandon_wait_ms    BIGINT       DEFAULT 0 NOT NULL,
    longest_wait_ms    BIGINT       DEFAULT 0 NOT NULL,
    talk_ms            BIGINT       DEFAULT 0 NOT NULL,
    hold_ms            BIGINT       DEFAULT 0 NOT NULL,
    wrap_ms            BIGINT       DEFAULT 0 NOT NULL,
    transfers          BIGINT       DEFAULT 0 NOT NULL,
    PRIMARY KEY (enterprise_id, slot, queue)
);

-- Per agent and queue: offers (by the offer's slot) and the handling of answered calls (by the visit's slot).
CREATE TABLE agent_stat (
    enterprise_id      BIGINT       NOT NULL REFERENCES enterprise(id),
    slot               BIGINT       NOT NULL,
    agent_user_id      BIGINT       NOT NULL,
    queue              VARCHAR(64)  NOT NULL,
    offered            BIGINT       DEFAULT 0 NOT NULL,
    answered           BIGINT       DEFAULT 0 NOT NULL,
    missed             BIGINT       DEFAULT 0 NOT NULL,
    transfers          BIGINT       DEFAULT 0 NOT NULL,
    talk_ms            BIGINT       DEFAULT 0 NOT NULL,
    hold_ms            BIGINT       DEFAULT 0 NOT NULL,
    wrap_ms            BIGINT       DEFAULT 0 NOT NULL,
    PRIMARY KEY (enterprise_id, slot, agent_user_id, queue)
);

-- Inbound calls by the slot they started in and their (last) queue ('' none): all, and the four ways of loss.
CREATE TABLE call_stat (
    enterprise_id      BIGINT       NOT NULL REFERENCES enterprise(id),
    slot               BIGINT       NOT NULL,
    queue              VARCHAR(64)  NOT NULL,
    inbound            BIGINT       DEFAULT 0 NOT NULL,
    left_ivr           BIGINT       DEFAULT 0 NOT NULL,
    abandoned_queued   BIGINT       DEFAULT 0 NOT NULL,
    abandoned_ringing  BIGINT       DEFAULT 0 NOT NULL,
    not_answered       BIGINT       DEFAULT 0 NOT NULL,
    PRIMARY KEY (enterprise_id, slot, queue)
);


-- The same roll-ups per local day of the report zone (the server's time zone; `slot` here is the day: days since
-- 1970-01-01): reports by day, week or month in that zone read these, a year being 365 rows per key.
CREATE TABLE queue_day (
    enterprise_id      BIGINT       NOT NULL REFERENCES enterprise(id),
    slot               BIGINT       NOT NULL,
    queue              VARCHAR(64)  NOT NULL,
    offered            BIGINT       DEFAULT 0 NOT NULL,
    answered           BIGINT       DEFAULT 0 NOT NULL,
    answered_in_target BIGINT       DEFAULT 0 NOT NULL,
    abandoned          BIGINT       DEFAULT 0 NOT NULL,
    short_abandoned    BIGINT       DEFAULT 0 NOT NULL,
    abandoned_ringing  BIGINT       DEFAULT 0 NOT NULL,
    overflowed         BIGINT       DEFAULT 0 NOT NULL,
    voicemail          BIGINT       DEFAULT 0 NOT NULL,
    callback           BIGINT       DEFAULT 0 NOT NULL,
    answer_wait_ms     BIGINT       DEFAULT 0 NOT NULL,
    abandon_wait_ms    BIGINT       DEFAULT 0 NOT NULL,
    longest_wait_ms    BIGINT       DEFAULT 0 NOT NULL,
    talk_ms            BIGINT       DEFAULT 0 NOT NULL,
    hold_ms            BIGINT       DEFAULT 0 NOT NULL,
    wrap_ms            BIGINT       DEFAULT 0 NOT NULL,
    transfers          BIGINT       DEFAULT 0 NOT NULL,
    PRIMARY KEY (enterprise_id, slot, queue)
);
CREATE TABLE agent_day (
    enterprise_id      BIGINT       NOT NULL REFERENCES enterprise(id),
    slot               BIGINT       NOT NULL,
    agent_user_id      BIGINT       NOT NULL,
    queue              VARCHAR(64)  NOT NULL,
    offered            BIGINT       DEFAULT 0 NOT NULL,
    answered           BIGINT       DEFAULT 0 NOT NULL,
    missed             BIGINT       DEFAULT 0 NOT NULL,
    transfers          BIGINT       DEFAULT 0 NOT NULL,
    talk_ms            BIGINT       DEFAULT 0 NOT NULL,
    hold_ms            BIGINT       DEFAULT 0 NOT NULL,
    wrap_ms            BIGINT       DEFAULT 0 NOT NULL,
    PRIMARY KEY (enterprise_id, slot, agent_user_id, queue)
);
CREATE TABLE call_day (
    enterprise_id      BIGINT       NOT NULL REFERENCES enterprise(id),
    slot               BIGINT       NOT NULL,
    queue              VARCHAR(64)  NOT NULL,
    inbound            BIGINT       DEFAULT 0 NOT NULL,
    left_ivr           BIGINT       DEFAULT 0 NOT NULL,
    abandoned_queued   BIGINT       DEFAULT 0 NOT NULL,
    abandoned_ringing  BIGINT       DEFAULT 0 NOT NULL,
    not_answered       BIGINT       DEFAULT 0 NOT NULL,
    PRIMARY KEY (enterprise_id, slot, queue)
);
