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

-- The unanswered report reads lost inbound calls by when they started.
CREATE INDEX ix_call_record_dir_started ON call_record (enterprise_id, direction, started_at);
