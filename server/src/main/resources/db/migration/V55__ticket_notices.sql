-- BIZ-1: ticket notices outside the console, per enterprise. The assignee's e-mail switch stays mail_settings.ticket_notifications
-- (one switch, shown on the e-mail and the ticket settings pages); these are the customer's: by e-mail (their customer record's
-- first e-mail field) and by SMS (the ticket's caller number, else their first phone), on the events listed.
ALTER TABLE ticket_settings ADD COLUMN notify_email_customer BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE ticket_settings ADD COLUMN notify_sms_customer BOOLEAN DEFAULT FALSE NOT NULL;
-- opened and/or status keys (assigned, in_progress, waiting_customer, resolved, closed, reopened), comma separated
ALTER TABLE ticket_settings ADD COLUMN notify_events VARCHAR(200) DEFAULT 'opened,resolved,closed' NOT NULL;
-- zh or en: the words of {status} and the customer's e-mail
ALTER TABLE ticket_settings ADD COLUMN notify_language VARCHAR(8) DEFAULT 'zh' NOT NULL;
-- the SMS text with {ticket}, {status}, {title}; null: the language's default
ALTER TABLE ticket_settings ADD COLUMN notify_sms_text VARCHAR(500);
