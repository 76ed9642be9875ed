-- MSG-4 satisfaction survey: one row per surveyed call, kept from the event log's "survey" events by
-- survey.SurveyStore.project in the same transaction as the event (the log is the source; this table is its projection).
CREATE TABLE survey_result (
    enterprise_id  BIGINT       NOT NULL REFERENCES enterprise(id),
    call_id        VARCHAR(64)  NOT NULL PRIMARY KEY,
    queue          VARCHAR(64)  NOT NULL,
    agent_user_id  BIGINT       NOT NULL,
    started_at     TIMESTAMP WITH TIME ZONE NOT NULL,  -- the agent hung up, the survey began
    ended_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    result         VARCHAR(16)  NOT NULL,              -- answered | partial | no_input | hangup
    score          SMALLINT,                           -- 1 very satisfied, 2 satisfied, 3 unsatisfied; NULL: none given
    reason         SMALLINT                            -- unsatisfied: 1 service, 2 attitude, 3 other; NULL: none given
);
CREATE INDEX ix_survey_result_started ON survey_result (enterprise_id, started_at);
CREATE INDEX ix_survey_result_agent ON survey_result (agent_user_id, started_at);
