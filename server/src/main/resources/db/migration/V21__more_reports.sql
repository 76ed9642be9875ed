-- Reports of issue 15 item 4 (RPT-2): by called number, caller tolerance and outbound, kept by report.ReportProjection
-- in the same transactions as the events like the roll-ups of V14 (per 15-minute slot, and per local day of the
-- report zone in the *_day tables, `slot` there being the day). Calls recorded before this migration are not in them.

-- Inbound calls by the number dialled (the DID) and the slot they started in: how each ended.
CREATE TABLE number_stat (
    enterprise_id      BIGINT       NOT NULL REFERENCES enterprise(id),
    slot               BIGINT       NOT NULL,
    number             VARCHAR(64)  NOT NULL,
    inbound            BIGINT       DEFAULT 0 NOT NULL,
    answered           BIGINT       DEFAULT 0 NOT NULL,   -- a person answered (disposition answered)
    abandoned          BIGINT       DEFAULT 0 NOT NULL,   -- left in the IVR, abandoned queued, abandoned ringing
    not_answered       BIGINT       DEFAULT 0 NOT NULL,   -- not answered by the system
    talk_ms            BIGINT       DEFAULT 0 NOT NULL,   -- a person's talk: agents' of answered queue visits, else answer to hang-up
    PRIMARY KEY (enterprise_id, slot, number)
);
CREATE TABLE number_day (
    enterprise_id      BIGINT       NOT NULL REFERENCES enterprise(id),
    slot               BIGINT       NOT NULL,
    number             VARCHAR(64)  NOT NULL,
    inbound            BIGINT       DEFAULT 0 NOT NULL,
    answered           BIGINT       DEFAULT 0 NOT NULL,
    abandoned          BIGINT       DEFAULT 0 NOT NULL,
    not_answered       BIGINT       DEFAULT 0 NOT NULL,
    talk_ms            BIGINT       DEFAULT 0 NOT NULL,
    PRIMARY KEY (enterprise_id, slot, number)
);

-- Queue calls answered (a0..a6) and abandoned (x0..x6) by wait: [0,5) [5,10) [10,20) [20,30) [30,60) [60,120) [120,∞) s,
-- by the slot the call joined the queue.
CREATE TABLE tolerance_stat (
    enterprise_id  BIGINT NOT NULL REFERENCES enterprise(id),
    slot           BIGINT NOT NULL,
    queue          VARCHAR(64) NOT NULL,
    a0 BIGINT DEFAULT 0 NOT NULL, a1 BIGINT DEFAULT 0 NOT NULL, a2 BIGINT DEFAULT 0 NOT NULL, a3 BIGINT DEFAULT 0 NOT NULL,
    a4 BIGINT DEFAULT 0 NOT NULL, a5 BIGINT DEFAULT 0 NOT NULL, a6 BIGINT DEFAULT 0 NOT NULL,
    x0 BIGINT DEFAULT 0 NOT NULL, x1 BIGINT DEFAULT 0 NOT NULL, x2 BIGINT DEFAULT 0 NOT NULL, x3 BIGINT DEFAULT 0 NOT NULL,
    x4 BIGINT DEFAULT 0 NOT NULL, x5 BIGINT DEFAULT 0 NOT NULL, x6 BIGINT DEFAULT 0 NOT NULL,
    PRIMARY KEY (enterprise_id, slot, queue)
);
CREATE TABLE tolerance_day (
    enterprise_id  BIGINT NOT NULL REFERENCES enterprise(id),
    slot           BIGINT NOT NULL,
    queue          VARCHAR(64) NOT NULL,
    a0 BIGINT DEFAULT 0 NOT NULL, a1 BIGINT DEFAULT 0 NOT NULL, a2 BIGINT DEFAULT 0 NOT NULL, a3 BIGINT DEFAULT 0 NOT NULL,
    a4 BIGINT DEFAULT 0 NOT NULL, a5 BIGINT DEFAULT 0 NOT NULL, a6 BIGINT DEFAULT 0 NOT NULL,
    x0 BIGINT DEFAULT 0 NOT NULL, x1 BIGINT DEFAULT 0 NOT NULL, x2 BIGINT DEFAULT 0 NOT NULL, x3 BIGINT DEFAULT 0 NOT NULL,
    x4 BIGINT DEFAULT 0 NOT NULL, x5 BIGINT DEFAULT 0 NOT NULL, x6 BIGINT DEFAULT 0 NOT NULL,
    PRIMARY KEY (enterprise_id, slot, queue)
);

-- Outbound calls by the agent who placed them (the call's agent, else the user of the extension it came from).
CREATE TABLE outbound_stat (
    enterprise_id  BIGINT NOT NULL REFERENCES enterprise(id),
    slot           BIGINT NOT NULL,
    agent_user_id  BIGINT NOT NULL,
    calls          BIGINT DEFAULT 0 NOT NULL,
    answered       BIGINT DEFAULT 0 NOT NULL,                -- the called party answered (disposition answered)
    talk_ms        BIGINT DEFAULT 0 NOT NULL,
    PRIMARY KEY (enterprise_id, slot, agent_user_id)
);
CREATE TABLE outbound_day (
    enterprise_id  BIGINT NOT NULL REFERENCES enterprise(id),
    slot           BIGINT NOT NULL,
    agent_user_id  BIGINT NOT NULL,
    calls          BIGINT DEFAULT 0 NOT NULL,
    answered       BIGINT DEFAULT 0 NOT NULL,
    talk_ms        BIGINT DEFAULT 0 NOT NULL,
    PRIMARY KEY (enterprise_id, slot, agent_user_id)
);

-- Inbound call tracking pages through one direction's calls of a range; the call-back status of a lost caller looks
-- for the first later answered call from (caller) or to (callee) the number.
CREATE INDEX ix_call_record_direction ON call_record (enterprise_id, direction, started_at);
CREATE INDEX ix_call_record_caller ON call_record (enterprise_id, caller, started_at);
CREATE INDEX ix_call_record_callee ON call_record (enterprise_id, callee, started_at);
