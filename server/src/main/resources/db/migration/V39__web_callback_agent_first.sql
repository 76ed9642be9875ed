-- OUT-4 web callback (issue 17): each request keeps the mode it was made in (agent_first requests wait in the ACD queue
-- and are put back there after a restart, in the order they joined), a hash of the visitor's cancel token, the agent who
-- took it, and who cancelled it. States: pending | queued | placing | done | failed | cancelled.
ALTER TABLE web_callback ADD COLUMN place_mode VARCHAR(16) DEFAULT 'customer_first' NOT NULL;
ALTER TABLE web_callback ADD COLUMN queued_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE web_callback ADD COLUMN cancel_hash VARCHAR(64);
ALTER TABLE web_callback ADD COLUMN agent_user_id BIGINT;
ALTER TABLE web_callback ADD COLUMN cancelled_by VARCHAR(64);
CREATE INDEX ix_web_callback_requested ON web_callback (enterprise_id, requested_at);
