-- RPT-5 month roll-up (issue 15: a year's billing totals under 1 s on H2 at 1 000 000 charges): the charges of each local
-- month (in the server's time zone, the day roll-up's; local_month is the day number of the month's first day since
-- 1970-01-01) added up by the same key as charge_day. Kept by billing.ChargeDays in the transaction that stores a charge,
-- re-rates a range or rebuilds the roll-up; totals read whole months from here, the other whole days from charge_day and
-- partial days from call_charge.
CREATE TABLE charge_month (
    enterprise_id   BIGINT        NOT NULL REFERENCES enterprise(id),
    local_month     BIGINT        NOT NULL,
    trunk           VARCHAR(64)   NOT NULL,
    agent_user_id   BIGINT        NOT NULL,
    department_id   BIGINT        NOT NULL,
    currency        VARCHAR(3)    NOT NULL,
    direction       VARCHAR(8)    NOT NULL,
    legs            BIGINT        NOT NULL,
    rated_legs      BIGINT        NOT NULL,
    unrated_legs    BIGINT        NOT NULL,
    talk_seconds    BIGINT        NOT NULL,
    billed_seconds  BIGINT        NOT NULL,
    amount          DECIMAL(20,4) NOT NULL,
    PRIMARY KEY (enterprise_id, local_month, trunk, agent_user_id, department_id, currency, direction)
);

-- Forget the roll-up's zone: the next start builds charge_day and charge_month again from call_charge
-- (ChargeDays.rebuildIfZoneChanged), so the months of the charges stored before this migration are counted.
DELETE FROM charge_day_zone;
