-- The dialer (issue 17): per number, how many attempts ended with each outcome (retries per outcome), and when it was last dialled.
ALTER TABLE campaign_contact ADD COLUMN outcome_counts VARCHAR(200);
ALTER TABLE campaign_contact ADD COLUMN last_attempt_at TIMESTAMP WITH TIME ZONE;
