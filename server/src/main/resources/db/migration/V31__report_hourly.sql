-- Issue 15 bench: every report over 1 000 000 calls under 1 s. Two more roll-ups kept by report.ReportProjection in the
-- event's transaction, like those of V14, V21 and V27.
--
-- Time in agent states per UTC hour (slot = hours since 1970-01-01 00:00 UTC): a report in a zone whose offsets in the
-- range are whole hours (not the server's zone, or grouped by hour) reads a quarter of the rows of agent_time_stat.
CREATE TABLE agent_time_hour (
    enterprise_id  BIGINT       NOT NULL REFERENCES enterprise(id),
    slot           BIGINT       NOT NULL,
    agent_user_id  BIGINT       NOT NULL,
    state          VARCHAR(16)  NOT NULL,
    reason         VARCHAR(64)  NOT NULL,              -- '' when none
    ms             BIGINT       NOT NULL DEFAULT 0,
    PRIMARY KEY (enterprise_id, slot, agent_user_id, state, reason)
);
-- The three time tables are built again from agent_event at the next start (AgentStateRollup.rebuildIfZoneChanged), so the
-- hour table holds the history too.
DELETE FROM agent_time_zone;

-- Satisfaction survey results (MSG-4) by the slot the survey began in (15 minutes; _day: local day of the report zone),
-- score and reason (0: none given), per queue and per agent: the satisfaction reports read these, not survey_result.
-- Built from survey_result at the next start (survey_rollup_zone empty), then kept with each survey event.
CREATE TABLE survey_queue_stat (
    enterprise_id  BIGINT       NOT NULL REFERENCES enterprise(id),
    slot           BIGINT       NOT NULL,
    queue          VARCHAR(64)  NOT NULL,
    score          SMALLINT     NOT NULL,
    reason         SMALLINT     NOT NULL,
    calls          BIGINT       NOT NULL DEFAULT 0,
    PRIMARY KEY (enterprise_id, slot, queue, score, reason)
);
CREATE TABLE survey_queue_day (
    enterprise_id  BIGINT       NOT NULL REFERENCES enterprise(id),
    slot           BIGINT       NOT NULL,
    queue          VARCHAR(64)  NOT NULL,
    score          SMALLINT     NOT NULL,
    reason         SMALLINT     NOT NULL,
    calls          BIGINT       NOT NULL DEFAULT 0,
    PRIMARY KEY (enterprise_id, slot, queue, score, reason)
);
CREATE TABLE survey_agent_stat (
    enterprise_id  BIGINT       NOT NULL REFERENCES enterprise(id),
    slot           BIGINT       NOT NULL,
    agent_user_id  BIGINT       NOT NULL,
    score          SMALLINT     NOT NULL,
    reason         SMALLINT     NOT NULL,
    calls          BIGINT       NOT NULL DEFAULT 0,
    PRIMARY KEY (enterprise_id, slot, agent_user_id, score, reason)
);
CREATE TABLE survey_agent_day (
    enterprise_id  BIGINT       NOT NULL REFERENCES enterprise(id),
    slot           BIGINT       NOT NULL,
    agent_user_id  BIGINT       NOT NULL,
    score          SMALLINT     NOT NULL,
    reason         SMALLINT     NOT NULL,
    calls          BIGINT       NOT NULL DEFAULT 0,
    PRIMARY KEY (enterprise_id, slot, agent_user_id, score, reason)
);
CREATE TABLE survey_rollup_zone (
    zone_id        VARCHAR(64)  NOT NULL
);

-- The unanswered report (issue 15): a caller who asked for a call back (disposition unanswered, queue result callback) is
-- counted apart in `callback`, no longer in not_answered; the calls not answered by the system whose last queue sent them
-- on say why: overflow_no_agents (nobody signed in), overflow_full (queue full), overflow_max_wait (the maximum wait);
-- the rest of not_answered had no overflow (closed, rejected, busy, no route...). Calls recorded before V31 are not split.
ALTER TABLE call_stat ADD COLUMN callback BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE call_stat ADD COLUMN overflow_no_agents BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE call_stat ADD COLUMN overflow_full BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE call_stat ADD COLUMN overflow_max_wait BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE call_day ADD COLUMN callback BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE call_day ADD COLUMN overflow_no_agents BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE call_day ADD COLUMN overflow_full BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE call_day ADD COLUMN overflow_max_wait BIGINT DEFAULT 0 NOT NULL;
