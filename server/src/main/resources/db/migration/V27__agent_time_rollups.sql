-- Time in agent states (RPT-2 by agent, enterprise summary; issue 15 bench: a year's report must not walk every state
-- change). Kept by report.ReportProjection from agent_event in the same transaction: each change closes the state the
-- agent was in, and its time is added per 15-minute slot (agent_time_stat) and per local day of the report zone
-- (agent_time_day). The state still open is each agent's latest change (agent_state_now), added at read time.
CREATE TABLE agent_time_stat (
    enterprise_id  BIGINT       NOT NULL REFERENCES enterprise(id),
    slot           BIGINT       NOT NULL,
    agent_user_id  BIGINT       NOT NULL,
    state          VARCHAR(16)  NOT NULL,
    reason         VARCHAR(64)  NOT NULL,              -- '' when none
    ms             BIGINT       NOT NULL DEFAULT 0,
    PRIMARY KEY (enterprise_id, slot, agent_user_id, state, reason)
);
CREATE TABLE agent_time_day (
    enterprise_id  BIGINT       NOT NULL REFERENCES enterprise(id),
    slot           BIGINT       NOT NULL,              -- local day (days since 1970-01-01) in the report zone
    agent_user_id  BIGINT       NOT NULL,
    state          VARCHAR(16)  NOT NULL,
    reason         VARCHAR(64)  NOT NULL,
    ms             BIGINT       NOT NULL DEFAULT 0,
    PRIMARY KEY (enterprise_id, slot, agent_user_id, state, reason)
);
CREATE TABLE agent_state_now (
    user_id        BIGINT       NOT NULL PRIMARY KEY,
    enterprise_id  BIGINT       NOT NULL REFERENCES enterprise(id),
    at             TIMESTAMP WITH TIME ZONE NOT NULL,
    state          VARCHAR(16)  NOT NULL,
    reason         VARCHAR(64)
);
CREATE INDEX ix_agent_state_now_enterprise ON agent_state_now (enterprise_id);
-- The report zone agent_time_day was built in; no row: not built yet. The server builds the three tables from agent_event
-- at a start without it or in another zone (report.AgentStateRollup.rebuildIfZoneChanged).
CREATE TABLE agent_time_zone (
    zone_id        VARCHAR(64)  NOT NULL
);
