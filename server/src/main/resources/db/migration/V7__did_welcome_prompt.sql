-- IVR-2: a welcome prompt per number, played before the number's destination.
ALTER TABLE did ADD COLUMN welcome_prompt VARCHAR(64);
