-- CRM (issue 16), screen pop completion and tickets' customers:
--  * crm_settings: which customer field holds the tier and the queue priority of each tier (ACD-3);
--  * crm_queue_pop: an external URL opened by the desk when a call of that queue rings (AGENT-4);
--  * ticket.customer_id refers to a customer (a deleted customer leaves its tickets without one).
-- Portable SQL (H2 and PostgreSQL).

CREATE TABLE crm_settings (
    enterprise_id   BIGINT        NOT NULL PRIMARY KEY REFERENCES enterprise(id),
    tier_field      VARCHAR(32),
    tier_priorities VARCHAR(2000) NOT NULL               -- JSON object: tier value -> priority (0..50)
);

CREATE TABLE crm_queue_pop (
    enterprise_id   BIGINT        NOT NULL REFERENCES enterprise(id),
    queue           VARCHAR(64)   NOT NULL,
    url_template    VARCHAR(1000) NOT NULL,
    PRIMARY KEY (enterprise_id, queue)
);

UPDATE ticket SET customer_id = NULL WHERE customer_id IS NOT NULL AND customer_id NOT IN (SELECT id FROM customer);
ALTER TABLE ticket ADD CONSTRAINT fk_ticket_customer FOREIGN KEY (customer_id) REFERENCES customer(id) ON DELETE SET NULL;
