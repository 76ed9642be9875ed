-- Issue 15 (RPT-2): the agents' roll-ups read whole by the long reports (a year by day or month, a quarter by week) hold every
-- column those reports read in an index too. On H2 a table whose primary key has several columns keeps its rows in a map by
-- row id and the key is a second index: each row a report reads by its key was a second lookup in the row map (a third of
-- the report thread's time, and on a cold first run the pages of both). An index that holds the key and every summed column
-- answers the report alone (H2 picks it as it needs no row lookup; on PostgreSQL it allows an index-only scan). The database
-- keeps each index in step with its table in the same statement, so the roll-ups stay as they are (same rows, same
-- transaction, rebuilt where they are rebuilt); the cost is a second index entry written per roll-up row changed.
CREATE INDEX agent_day_cover ON agent_day (enterprise_id, slot, agent_user_id, queue, offered, answered, missed, transfers, talk_ms,
    hold_ms, wrap_ms);
CREATE INDEX agent_hour_cover ON agent_hour (enterprise_id, slot, agent_user_id, offered, answered, missed, transfers, talk_ms, hold_ms,
    wrap_ms);
CREATE INDEX agent_time_day_cover ON agent_time_day (enterprise_id, slot, agent_user_id, state, reason, ms);
CREATE INDEX agent_time_hour_cover ON agent_time_hour (enterprise_id, slot, agent_user_id, state, reason, ms);
CREATE INDEX survey_agent_day_cover ON survey_agent_day (enterprise_id, slot, agent_user_id, score, reason, calls);
