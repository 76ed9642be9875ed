-- ACD API: supervisors and admins may force an agent's state (SUP-2). Built-in roles store their
-- permissions like custom ones, so existing enterprises get the new permission here.
INSERT INTO role_permission (role_id, permission) SELECT id, 'agent.manage' FROM app_role WHERE builtin = TRUE AND name IN ('admin', 'supervisor');
