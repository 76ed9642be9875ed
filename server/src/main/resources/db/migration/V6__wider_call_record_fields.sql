-- Call record fields wide enough for what routes store in them (flow names, long numbers).
ALTER TABLE call_record ALTER COLUMN extension SET DATA TYPE VARCHAR(64);
ALTER TABLE call_record ALTER COLUMN trunk SET DATA TYPE VARCHAR(64);
