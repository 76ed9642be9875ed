-- SUP-2: supervisors and admins may listen to, whisper to, barge into, take over and hang up agents' calls.
-- Built-in roles store their permissions like custom ones, so existing enterprises get the new permission here.
INSERT INTO role_permission (role_id, permission) SELECT id, 'call.supervise' FROM app_role WHERE builtin = TRUE AND name IN ('admin', 'supervisor');
