-- ACD-6: a caller who pressed the queue's call-back key keeps their place across a restart. One row per call back
-- still owed; it is ended (state 'done' with how) when the agent reached the customer or the try ended.
CREATE TABLE queue_callback (
    call_id        VARCHAR(64)  NOT NULL PRIMARY KEY,
    enterprise_id  BIGINT       NOT NULL REFERENCES enterprise(id),
    queue_id       BIGINT       NOT NULL,
    caller_number  VARCHAR(64)  NOT NULL,
    priority       INTEGER      NOT NULL,
    enqueued_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    asked_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    state          VARCHAR(16)  NOT NULL,
    result         VARCHAR(32),
    ended_at       TIMESTAMP WITH TIME ZONE
);
CREATE INDEX ix_queue_callback_state ON queue_callback (state, enqueued_at);
