-- OPS-2: configuration backup and restore, granted to the built-in admin roles.
INSERT INTO role_permission (role_id, permission) SELECT id, 'config.backup' FROM app_role WHERE builtin = TRUE AND name = 'admin';

-- SEC-1: SIP bans survive a restart (loaded at start, still expiring at their time).
CREATE TABLE sip_ban (
    kind        VARCHAR(16)   NOT NULL,   -- address | account
    ban_key     VARCHAR(128)  NOT NULL,   -- the source address, or the account (extension@domain)
    reason      VARCHAR(256)  NOT NULL,
    banned_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (kind, ban_key)
);
