-- Call records a manager can read (issue 14) and the path a call took (issue 13 item 7):
-- how the call ended for the business, the IVR path, holds and transfers.
ALTER TABLE call_record ADD COLUMN disposition VARCHAR(32);      -- answered | voicemail | ivr_only | abandoned_ivr | abandoned_queue | abandoned_ringing | unanswered
ALTER TABLE call_record ADD COLUMN ivr_path VARCHAR(512);
ALTER TABLE call_record ADD COLUMN hold_count INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE call_record ADD COLUMN hold_seconds INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE call_record ADD COLUMN transfers INTEGER DEFAULT 0 NOT NULL;
CREATE INDEX ix_call_record_disposition ON call_record (enterprise_id, disposition, started_at);
