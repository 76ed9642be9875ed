-- PBX-6 state that outlives a restart (kept by routing/Pbx6Store, written off the call path).

-- Call backs waiting for their time: the caller to call back and the number (DID) they called,
-- whose destination the call back is connected to.
CREATE TABLE pending_callback (
    id             VARCHAR(36)  PRIMARY KEY,
    enterprise_id  BIGINT       NOT NULL REFERENCES enterprise(id) ON DELETE CASCADE,
    number         VARCHAR(64)  NOT NULL,
    did            VARCHAR(64)  NOT NULL,
    due_at         TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Smart direct line: the extension that last called an outside number, and when (kept 24 h).
CREATE TABLE direct_line_memory (
    enterprise_id  BIGINT       NOT NULL REFERENCES enterprise(id) ON DELETE CASCADE,
    number         VARCHAR(64)  NOT NULL,
    extension      VARCHAR(32)  NOT NULL,
    called_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (enterprise_id, number)
);
CREATE INDEX ix_direct_line_memory_at ON direct_line_memory (called_at);
