-- RPT-5 billing roll-up (issue 15: every report over 1 000 000 calls answers in under 1 s): the charges of each local day
-- (in the server's time zone, days since 1970-01-01) added up by trunk, agent, department and currency. Kept by
-- billing.ChargeDays in the transaction that stores or re-rates a charge. No agent, no department: 0; unrated: currency ''.
CREATE TABLE charge_day (
    enterprise_id   BIGINT        NOT NULL REFERENCES enterprise(id),
    local_day       BIGINT        NOT NULL,
    trunk           VARCHAR(64)   NOT NULL,
    agent_user_id   BIGINT        NOT NULL,
    department_id   BIGINT        NOT NULL,
    currency        VARCHAR(3)    NOT NULL,
    legs            BIGINT        NOT NULL,
    rated_legs      BIGINT        NOT NULL,
    unrated_legs    BIGINT        NOT NULL,
    talk_seconds    BIGINT        NOT NULL,
    billed_seconds  BIGINT        NOT NULL,
    amount          DECIMAL(20,4) NOT NULL,
    PRIMARY KEY (enterprise_id, local_day, trunk, agent_user_id, department_id, currency)
);

-- The zone charge_day's days are counted in: at a start in another zone (or the first start with this table) the server
-- builds charge_day again from call_charge.
CREATE TABLE charge_day_zone (
    zone_id  VARCHAR(64) NOT NULL
);

-- The detailed bill is read a page at a time in this order (enterprise, answer time, call, leg): the index gives the page
-- without sorting the range.
CREATE INDEX ix_call_charge_bill ON call_charge (enterprise_id, answered_at, call_id, leg_id);
