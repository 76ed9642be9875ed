-- OPS-3 (docs/adr/0004-nodes-behind-kamailio.md): the operator moves an enterprise to a named live node.
-- moving_to names the node it goes to. While the placement still names another node, that node serves the enterprise and
-- hands it over at its next heartbeat; once the placement names moving_to, no node serves it until that node takes it up
-- (and clears moving_to).
ALTER TABLE enterprise_placement ADD COLUMN moving_to VARCHAR(64);

-- The calls a node had in progress for an enterprise it handed over: they go on there to their end and are recorded there.
-- A row goes once its call has a record; when its node dies first, the node serving the enterprise closes those calls.
CREATE TABLE cluster_drain (
    node_id       VARCHAR(64)  NOT NULL,
    enterprise_id BIGINT       NOT NULL REFERENCES enterprise(id) ON DELETE CASCADE,
    call_id       VARCHAR(64)  NOT NULL,
    PRIMARY KEY (node_id, call_id)
);
