-- RPT-5 billing, issue 15: a call that runs from one rate period into another (peak into off-peak ...) is billed per period.
-- Its parts as a JSON array of {period, prefix, pricePerMinute, fromSecond, billedSeconds, amount} in time order; null when
-- the whole call is billed at the rate of its answer (one period), as every charge stored before.
ALTER TABLE call_charge ADD COLUMN period_parts VARCHAR(16000);
