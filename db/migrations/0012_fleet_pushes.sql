-- The fleet view (console issue 11): config downlinks the console publishes, audited, and each device's
-- confirmation.
--   fleet_pushes: one row per push: who (console username), when, what was asked for (the device ids or
--     the district, as given) and the patch (protocol `config` patch, as published).
--   fleet_push_devices: one row per device of a push: the config version it was sent with (each device
--     gets its own: one above both what it last reported and what it was last sent), when the broker
--     acknowledged the publish (or why it failed), and when the device reported running that version.
-- confirmed_at is set by a trigger on devices: ingest's status upsert sets devices.config_version from
-- the device's birth, which the edge agent publishes again the moment it applies a config. Only an
-- exact version match confirms a push (a device that reports a later version did not necessarily apply
-- an earlier patch; the API calls those superseded). The trigger fires only when the version changes.
CREATE TABLE fleet_pushes (
  id         uuid PRIMARY KEY,
  pushed_at  timestamptz NOT NULL DEFAULT now(),
  pushed_by  text NOT NULL,
  target     jsonb NOT NULL,
  patch      jsonb NOT NULL
);
CREATE INDEX fleet_pushes_time_idx ON fleet_pushes (pushed_at DESC, id);

CREATE TABLE fleet_push_devices (
  push_id        uuid NOT NULL REFERENCES fleet_pushes (id) ON DELETE CASCADE,
  device_id      text NOT NULL,
  config_version integer NOT NULL CHECK (config_version > 0),
  published_at   timestamptz,
  publish_error  text,
  confirmed_at   timestamptz,
  PRIMARY KEY (push_id, device_id)
);
CREATE INDEX fleet_push_devices_device_idx ON fleet_push_devices (device_id, config_version DESC);

CREATE FUNCTION fleet_confirm_config_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE fleet_push_devices SET confirmed_at = now()
  WHERE device_id = NEW.id AND config_version = NEW.config_version AND confirmed_at IS NULL;
  RETURN NULL;
END
$$;

CREATE TRIGGER devices_config_version_confirms_push
  AFTER UPDATE OF config_version ON devices
  FOR EACH ROW WHEN (NEW.config_version IS DISTINCT FROM OLD.config_version)
  EXECUTE FUNCTION fleet_confirm_config_version();
