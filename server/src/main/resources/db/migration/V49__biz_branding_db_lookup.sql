-- Issue 16/18/20 leftovers (h-biz).
-- BIZ-1: holidays (whole days off, yyyy-MM-dd, comma-separated) in the tickets' SLA calendar.
ALTER TABLE ticket_settings ADD COLUMN holidays VARCHAR(4000) DEFAULT '' NOT NULL;

-- BIZ-3: the asker accepts an expert's answer.
ALTER TABLE kb_question ADD COLUMN accepted_at TIMESTAMP WITH TIME ZONE;
