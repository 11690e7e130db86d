-- When the administrator last reopened an ended room (Unix ms, UTC): the idle-room chore counts a
-- reopened room as used then, so an old room reopened today is not closed again within the hour.
ALTER TABLE rooms ADD COLUMN reopened_at INTEGER;
