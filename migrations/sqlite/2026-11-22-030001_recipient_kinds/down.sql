DELETE FROM recipients WHERE kind = 'phone';
ALTER TABLE recipients DROP COLUMN kind;
