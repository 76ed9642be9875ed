-- Issue 15 (RPT-2): every report over 1 000 000 calls under 1 s on H2 too. The queue, agent and call figures per UTC hour
-- (slot = hours since 1970-01-01 00:00 UTC, i.e. the 15-minute slot / 4), kept by report.ReportProjection in the same
-- batched statements of the event's transaction as queue_stat, agent_stat and call_stat: every difference added to a
-- 15-minute row is added to its hour row. A report in a zone whose offsets in the range are whole hours (UTC included),
-- from a whole hour to a whole hour, that cannot read the day tables (another zone than the server's, or by hour) reads
-- these instead of the 15-minute rows (as it reads agent_time_hour, V31, for the time in states).
CREATE TABLE queue_hour (
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

-- Per agent, all queues added up (as agent_time_hour): an hour of 50 agents in 5 queues is ~50 rows here against ~140 per
-- agent and queue. A report of one queue's agents reads agent_stat.
CREATE TABLE agent_hour (
    enterprise_id      BIGINT       NOT NULL REFERENCES enterprise(id),
    slot               BIGINT       NOT NULL,
    agent_user_id      BIGINT       NOT NULL,
    offered            BIGINT       DEFAULT 0 NOT NULL,
    answered           BIGINT       DEFAULT 0 NOT NULL,
    missed             BIGINT       DEFAULT 0 NOT NULL,
    transfers          BIGINT       DEFAULT 0 NOT NULL,
    talk_ms            BIGINT       DEFAULT 0 NOT NULL,
    hold_ms            BIGINT       DEFAULT 0 NOT NULL,
    wrap_ms            BIGINT       DEFAULT 0 NOT NULL,
    PRIMARY KEY (enterprise_id, slot, agent_user_id)
);

CREATE TABLE call_hour (
    enterprise_id      BIGINT       NOT NULL REFERENCES enterprise(id),
    slot               BIGINT       NOT NULL,
    queue              VARCHAR(64)  NOT NULL,
    inbound            BIGINT       DEFAULT 0 NOT NULL,
    left_ivr           BIGINT       DEFAULT 0 NOT NULL,
    abandoned_queued   BIGINT       DEFAULT 0 NOT NULL,
    abandoned_ringing  BIGINT       DEFAULT 0 NOT NULL,
    not_answered       BIGINT       DEFAULT 0 NOT NULL,
    callback           BIGINT       DEFAULT 0 NOT NULL,
    overflow_no_agents BIGINT       DEFAULT 0 NOT NULL,
    overflow_full      BIGINT       DEFAULT 0 NOT NULL,
    overflow_max_wait  BIGINT       DEFAULT 0 NOT NULL,
    PRIMARY KEY (enterprise_id, slot, queue)
);

-- Back-fill: the calls recorded before V76, added up from their 15-minute rows (slots are counted from 1970, never
-- negative: slot / 4 is the UTC hour in both databases' integer division).
INSERT INTO queue_hour (enterprise_id, slot, queue, offered, answered, answered_in_target, abandoned, short_abandoned, abandoned_ringing,
    overflowed, voicemail, callback, answer_wait_ms, abandon_wait_ms, longest_wait_ms, talk_ms, hold_ms, wrap_ms, transfers)
SELECT enterprise_id, slot / 4, queue, SUM(offered), SUM(answered), SUM(answered_in_target), SUM(abandoned), SUM(short_abandoned),
    SUM(abandoned_ringing), SUM(overflowed), SUM(voicemail), SUM(callback), SUM(answer_wait_ms), SUM(abandon_wait_ms),
    MAX(longest_wait_ms), SUM(talk_ms), SUM(hold_ms), SUM(wrap_ms), SUM(transfers)
FROM queue_stat GROUP BY enterprise_id, slot / 4, queue;

INSERT INTO agent_hour (enterprise_id, slot, agent_user_id, offered, answered, missed, transfers, talk_ms, hold_ms, wrap_ms)
SELECT enterprise_id, slot / 4, agent_user_id, SUM(offered), SUM(answered), SUM(missed), SUM(transfers), SUM(talk_ms), SUM(hold_ms),
    SUM(wrap_ms)
FROM agent_stat GROUP BY enterprise_id, slot / 4, agent_user_id;

INSERT INTO call_hour (enterprise_id, slot, queue, inbound, left_ivr, abandoned_queued, abandoned_ringing, not_answered, callback,
    overflow_no_agents, overflow_full, overflow_max_wait)
SELECT enterprise_id, slot / 4, queue, SUM(inbound), SUM(left_ivr), SUM(abandoned_queued), SUM(abandoned_ringing), SUM(not_answered),
    SUM(callback), SUM(overflow_no_agents), SUM(overflow_full), SUM(overflow_max_wait)
FROM call_stat GROUP BY enterprise_id, slot / 4, queue;
