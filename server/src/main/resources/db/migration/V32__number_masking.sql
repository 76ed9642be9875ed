-- CRM-5 number masking (docs/masking.md): one policy per enterprise, a mode per queue overriding it.
CREATE TABLE number_mask_policy (
    enterprise_id      BIGINT        NOT NULL PRIMARY KEY REFERENCES enterprise(id),
    mode               VARCHAR(8)    NOT NULL,
    roles              VARCHAR(2000) NOT NULL,
    webhooks_unmasked  BOOLEAN       NOT NULL
);
CREATE TABLE number_mask_queue (
    enterprise_id  BIGINT       NOT NULL REFERENCES enterprise(id),
    queue          VARCHAR(64)  NOT NULL,
    mode           VARCHAR(8)   NOT NULL,
    PRIMARY KEY (enterprise_id, queue)
);

-- Who sees real numbers whatever the policy: the administrators (custom roles are given it by their editors).
INSERT INTO role_permission (role_id, permission) SELECT id, 'number.unmasked' FROM app_role WHERE builtin = TRUE AND name = 'admin';
