-- Who looked at or took out personal or bulk data (PRIVACY.md, DPP4): one row per export (an analytics
-- answer as CSV or GeoJSON, an open-data download by a signed-in user), per view of a snapshot, per
-- personal-data export or erasure by an admin. Written by the console (console/src/privacy/audit-store.ts).
-- A hypertable so the retention policy drops whole old chunks: kept two years, then gone within a week
-- (one 7-day chunk).
-- An erased account's name is replaced by a stable pseudonym (erased-<hash>), so the trail stays
-- consistent without naming the person.
CREATE TABLE audit_log (
  at        timestamptz NOT NULL DEFAULT now(),
  id        uuid NOT NULL DEFAULT gen_random_uuid(),
  username  text NOT NULL,
  action    text NOT NULL CHECK (action IN ('export', 'snapshot_view', 'personal_data_export', 'personal_data_erase')),
  -- What was taken or seen: the request's path and query (an export), the event id (a snapshot), the account (personal data).
  what      text NOT NULL CHECK (length(what) BETWEEN 1 AND 2048),
  details   jsonb,
  UNIQUE (id, at)
);
SELECT create_hypertable('audit_log', by_range('at', INTERVAL '7 days'));
CREATE INDEX audit_log_username_at_idx ON audit_log (username, at DESC);
SELECT add_retention_policy('audit_log', INTERVAL '730 days');
