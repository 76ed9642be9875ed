-- PBX-6 DISA (issue 18): the language of an entry's prompts (zh / en), and the welcome played before the PIN is asked
-- for: an uploaded prompt (by name) or a text spoken by TTS in the entry's language; neither: no welcome.
ALTER TABLE disa ADD COLUMN language VARCHAR(8) DEFAULT 'zh' NOT NULL;
ALTER TABLE disa ADD COLUMN welcome_prompt VARCHAR(64);
ALTER TABLE disa ADD COLUMN welcome_text VARCHAR(500);
