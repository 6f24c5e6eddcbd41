-- The console's live map (issue 10): a device is online, degraded or offline. Degraded is computed when
-- read (console/src/live/device-state-sql.ts) from what is stored here, so a device that goes silent
-- needs no writer:
--   devices.health_interval_s: seconds between its health messages, from its birth (null: an older
--     device that does not say; the gap between its last two health messages stands in).
--   devices.key_site: an admin marks a device whose going offline raises an incident of its own
--     (type device_offline, opened by ingest in the statement that commits the offline status).
--   health.fps_target: the frame rate its configuration asks for (fps below it: degraded).
--   health.inference_errors: detector runs that failed since the agent started (a rise: degraded).
-- All nullable or defaulted: older devices and stored rows stay valid.
ALTER TABLE devices ADD COLUMN health_interval_s integer CHECK (health_interval_s BETWEEN 0 AND 3600);
ALTER TABLE devices ADD COLUMN key_site boolean NOT NULL DEFAULT false;
ALTER TABLE health ADD COLUMN fps_target real;
ALTER TABLE health ADD COLUMN inference_errors integer;
