-- Loop-detector readings that carry no vehicle classes (the Transport Department's feed): the total
-- volume over valid lanes, how many lanes were valid or not, and the time the source published (kept when
-- a recording is replayed re-timed to now). A feed gateway's health: the feed's age and how many of its
-- devices went silent. All nullable: no other device sends them, and no stored row changes.
ALTER TABLE telemetry ADD COLUMN volume integer;
ALTER TABLE telemetry ADD COLUMN lanes_valid integer;
ALTER TABLE telemetry ADD COLUMN lanes_invalid integer;
ALTER TABLE telemetry ADD COLUMN observed_at timestamptz;
ALTER TABLE health ADD COLUMN feed_age_s real;
ALTER TABLE health ADD COLUMN devices_stale integer;
ALTER TABLE health ADD COLUMN devices_offline integer;
