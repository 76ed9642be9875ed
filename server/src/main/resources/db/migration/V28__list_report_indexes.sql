-- The list reports (tracking, lost callers, agent state log) read one page in time order over an index whose columns are
-- the page's whole order, so the database never sorts the range (issue 15 bench: a year of 1 000 000 calls): the call's id
-- and the change's id end the indexes as the tie-breakers of equal times.
DROP INDEX ix_call_record_direction;
CREATE INDEX ix_call_record_direction ON call_record (enterprise_id, direction, started_at, call_id);
DROP INDEX ix_call_record_disposition;
CREATE INDEX ix_call_record_disposition ON call_record (enterprise_id, disposition, started_at, call_id);
DROP INDEX ix_agent_event_at;
CREATE INDEX ix_agent_event_at ON agent_event (enterprise_id, at, id);
