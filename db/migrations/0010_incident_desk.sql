-- The operators' incident desk (console issue 10).
-- incident_log gains two actions:
--   viewed:   an operator opened the incident in the desk ("seen by"); it changes nothing, so it does not
--             bump incidents.version or updated_at.
--   notified: the console told someone outside it (the escalation webhook); details hold the attempt.
-- incidents gain the outcome a resolve records, and when the escalation webhook was claimed for it
-- (one console node claims it with an UPDATE … WHERE escalation_notified_at IS NULL, so several nodes
-- send it once).
ALTER TABLE incident_log DROP CONSTRAINT incident_log_action_check;
ALTER TABLE incident_log ADD CONSTRAINT incident_log_action_check
  CHECK (action IN ('opened', 'event', 'acknowledged', 'dispatched', 'resolved', 'reopened', 'note', 'escalated', 'viewed', 'notified'));

ALTER TABLE incidents ADD COLUMN outcome text
  CHECK (outcome IN ('handled', 'false_alarm', 'duplicate', 'no_action_needed'));
ALTER TABLE incidents ADD CONSTRAINT incidents_outcome_when_resolved
  CHECK (outcome IS NULL OR status = 'resolved');
ALTER TABLE incidents ADD COLUMN escalation_notified_at timestamptz;

-- Catch-up after a reconnect reads incidents changed since (updated_at, id).
CREATE INDEX incidents_updated_idx ON incidents (updated_at, id);

-- Response units an admin manages; dispatching one sets it dispatched to that incident, resolving frees it.
CREATE TABLE units (
  id          text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
  name        text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 80),
  kind        text NOT NULL CHECK (kind IN ('police', 'fire', 'ambulance', 'traffic', 'maintenance', 'other')),
  status      text NOT NULL DEFAULT 'available' CHECK (status IN ('available', 'dispatched', 'out_of_service')),
  incident_id uuid REFERENCES incidents (id),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'dispatched') = (incident_id IS NOT NULL))
);
CREATE INDEX units_incident_idx ON units (incident_id) WHERE incident_id IS NOT NULL;
