-- Incidents get one home (@streetwise/incidents). Two columns its state machine and messages need:
-- version: 1 when opened, +1 on every change (an event, an escalation, an operator action), so a
--   listener can drop a stale message and an operator's change against an old version can be refused.
-- actor_kind: who made a logged change, a program ('system': ingest's rules) or a person ('user').
ALTER TABLE incidents ADD COLUMN version integer NOT NULL DEFAULT 1 CHECK (version >= 1);

ALTER TABLE incident_log ADD COLUMN actor_kind text NOT NULL DEFAULT 'user' CHECK (actor_kind IN ('system', 'user'));
-- Until now only ingest's rules logged as 'ingest', and they log only these actions.
UPDATE incident_log SET actor_kind = 'system' WHERE actor = 'ingest' AND action IN ('opened', 'event', 'escalated');
ALTER TABLE incident_log ALTER COLUMN actor_kind DROP DEFAULT;
