-- BIZ-1 (issue 16): notices on comments, the customer's language, HTML mail and the call-back's outcome from its call.
-- The assignee is notified of a comment by someone else (inbox, and e-mail with the assignee's switch) when this is on;
-- a comment marked for the customer reaches them when 'comment' is among notify_events.
ALTER TABLE ticket_settings ADD COLUMN notify_assignee_comments BOOLEAN DEFAULT FALSE NOT NULL;
-- the key of a customer field holding the customer's language (zh / en, 中文 / English); null: notify_language for everyone
ALTER TABLE ticket_settings ADD COLUMN notify_language_field VARCHAR(64);
-- a message's HTML alternative (sent as multipart/alternative with body as the plain text); null: plain text only
ALTER TABLE mail_outbox ADD COLUMN html_body VARCHAR(32000);
-- the call an event is about (a call-back placed, its outcome): the call-back's outcome is found by its call
ALTER TABLE ticket_event ADD COLUMN call_id VARCHAR(64);
CREATE INDEX ix_ticket_event_call ON ticket_event (call_id);
