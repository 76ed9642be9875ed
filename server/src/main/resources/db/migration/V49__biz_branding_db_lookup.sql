-- Issue 16/18/20 leftovers (h-biz).
-- BIZ-1: holidays (whole days off, yyyy-MM-dd, comma-separated) in the tickets' SLA calendar.
ALTER TABLE ticket_settings ADD COLUMN holidays VARCHAR(4000) DEFAULT '' NOT NULL;

-- BIZ-3: the asker accepts an expert's answer.
ALTER TABLE kb_question ADD COLUMN accepted_at TIMESTAMP WITH TIME ZONE;

-- ADM-4: an enterprise's company name and logo (the file is in the data folder); branding.manage for the admins.
CREATE TABLE enterprise_branding (
    enterprise_id   BIGINT        NOT NULL PRIMARY KEY REFERENCES enterprise(id),
    company_name    VARCHAR(100),
    logo_type       VARCHAR(20),
    logo_at         TIMESTAMP WITH TIME ZONE
);
INSERT INTO role_permission (role_id, permission) SELECT id, 'branding.manage' FROM app_role WHERE builtin = TRUE AND name = 'admin';
