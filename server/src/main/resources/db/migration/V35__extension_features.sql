-- PBX-3 / PBX-4: call forwarding, do-not-disturb, call waiting and the pickup group of each extension
-- (set from the console, the API or the phone's feature codes). A missing row means every feature off but call waiting.
CREATE TABLE extension_feature (
    extension_id          BIGINT       NOT NULL PRIMARY KEY REFERENCES extension(id) ON DELETE CASCADE,
    enterprise_id         BIGINT       NOT NULL REFERENCES enterprise(id),
    forward_always        VARCHAR(32),
    forward_busy          VARCHAR(32),
    forward_no_answer     VARCHAR(32),
    forward_unregistered  VARCHAR(32),
    no_answer_seconds     INT          DEFAULT 20 NOT NULL,
    dnd                   BOOLEAN      DEFAULT FALSE NOT NULL,
    call_waiting          BOOLEAN      DEFAULT TRUE NOT NULL,
    pickup_group          VARCHAR(32)
);
CREATE INDEX ix_extension_feature_enterprise ON extension_feature (enterprise_id);
