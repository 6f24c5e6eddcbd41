-- Safety events waiting for ingest's incident rules. The batch statement that stores an event queues it
-- here in the same statement, so an event acked to its device always gets its turn at the rules; the rules
-- step (ingest/src/incidents/incident-step.ts) takes what is queued in its own transaction, under the
-- rules' advisory lock, decides, writes incidents and deletes the rows it took. An ingest that dies
-- between the two leaves the rows for the next step of any worker (every worker runs one at start).
-- Rows live for milliseconds; nothing here is kept.
CREATE TABLE incident_queue (
  event_id   uuid PRIMARY KEY,
  device_id  text NOT NULL,
  type       text NOT NULL,
  severity   text NOT NULL,
  ts         timestamptz NOT NULL,
  lat        double precision NOT NULL,
  lon        double precision NOT NULL,
  district   text,
  queued_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX incident_queue_queued_at_idx ON incident_queue (queued_at, event_id);
