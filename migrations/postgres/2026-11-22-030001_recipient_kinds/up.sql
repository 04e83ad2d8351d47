-- A recipient is reached by e-mail or by SMS. The address column keeps its name `email` (the
-- rows before this migration are all e-mail addresses); `kind` says which form it holds.
ALTER TABLE recipients ADD COLUMN kind TEXT NOT NULL DEFAULT 'email' CHECK (kind IN ('email', 'phone'));
