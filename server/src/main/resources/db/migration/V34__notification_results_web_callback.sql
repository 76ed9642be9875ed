-- OUT-2 voice notification campaigns (issue 17): per number, the key pressed and when (the answer column holds its meaning).
ALTER TABLE campaign_contact ADD COLUMN answer_key VARCHAR(4);
ALTER TABLE campaign_contact ADD COLUMN answered_at TIMESTAMP WITH TIME ZONE;
