-- OPS-3 (docs/adr/0004-nodes-behind-kamailio.md): the Hotline nodes sharing this database, each with a lease it renews
-- by heartbeat, and the node each enterprise is placed on. The lease times are the database's clock, never a node's.
CREATE TABLE cluster_node (
    node_id       VARCHAR(64)  PRIMARY KEY,
    sip_uri       VARCHAR(200) NOT NULL,
    http_url      VARCHAR(200) NOT NULL,
    started_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    lease_until   TIMESTAMP WITH TIME ZONE NOT NULL
);

-- epoch rises on every claim: a node acts on an enterprise only while the epoch it claimed is still the stored one.
CREATE TABLE enterprise_placement (
    enterprise_id BIGINT       PRIMARY KEY REFERENCES enterprise(id) ON DELETE CASCADE,
    node_id       VARCHAR(64)  NOT NULL,
    epoch         BIGINT       NOT NULL,
    claimed_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX ix_enterprise_placement_node ON enterprise_placement (node_id);
