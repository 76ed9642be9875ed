-- MSG-3 campaign SMS: the SMS a campaign queued for a number of its list (an SMS campaign's message, or the SMS after a
-- call outcome); the number's SMS state is that message's (docs/sms.md).
ALTER TABLE campaign_contact ADD COLUMN sms_id BIGINT;
ALTER TABLE campaign_contact ADD CONSTRAINT fk_campaign_contact_sms FOREIGN KEY (sms_id) REFERENCES sms_message(id) ON DELETE SET NULL;
