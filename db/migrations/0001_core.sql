-- Core tables. Hypertables are partitioned on "time" (the device's timestamp); every uplink row keeps
-- its message id, and (id, time) is unique so a redelivered message never makes a second row.
CREATE EXTENSION IF NOT EXISTS timescaledb;

CREATE TABLE devices (
  id               text PRIMARY KEY,
  kind             text NOT NULL CHECK (kind IN ('camera', 'loop_detector', 'air_quality', 'noise', 'multi')),
  name             text,
  district         text,
  road             text,
  lat              double precision,
  lon              double precision,
  capabilities     text[] NOT NULL DEFAULT '{}',
  models           jsonb NOT NULL DEFAULT '{}',
  firmware         text,
  config_version   integer,
  state            text NOT NULL DEFAULT 'online' CHECK (state IN ('online', 'offline')),
  blocked          boolean NOT NULL DEFAULT false,
  registered_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at     timestamptz NOT NULL DEFAULT now(),
  state_changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX devices_district_idx ON devices (district);

CREATE TABLE events (
  time          timestamptz NOT NULL,
  id            uuid NOT NULL,
  device_id     text NOT NULL,
  type          text NOT NULL,
  severity      text NOT NULL,
  class         text,
  track_id      integer,
  confidence    real,
  lat           double precision NOT NULL,
  lon           double precision NOT NULL,
  rule          text,
  direction     text,
  speed_kmh     real,
  count         integer,
  duration_s    real,
  model_version text,
  attrs         jsonb,
  has_snapshot  boolean NOT NULL DEFAULT false,
  received_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (id, time)
);
SELECT create_hypertable('events', by_range('time', INTERVAL '1 day'));
CREATE INDEX events_device_time_idx ON events (device_id, time DESC);
CREATE INDEX events_type_time_idx ON events (type, time DESC);

CREATE TABLE telemetry (
  time              timestamptz NOT NULL,
  id                uuid NOT NULL,
  device_id         text NOT NULL,
  interval_s        integer NOT NULL,
  approach          text,
  count_person      integer,
  count_bicycle     integer,
  count_car         integer,
  count_motorcycle  integer,
  count_bus         integer,
  count_truck       integer,
  speed_kmh_avg     real,
  speed_kmh_p85     real,
  occupancy_pct     real,
  queue_length_m    real,
  zone_occupancy    integer,
  pm25              real,
  no2               real,
  noise_dba         real,
  congestion_index  real,
  received_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (id, time)
);
SELECT create_hypertable('telemetry', by_range('time', INTERVAL '1 day'));
CREATE INDEX telemetry_device_time_idx ON telemetry (device_id, time DESC);

CREATE TABLE health (
  time             timestamptz NOT NULL,
  id               uuid NOT NULL,
  device_id        text NOT NULL,
  uptime_s         double precision NOT NULL,
  fps              real,
  inference_ms_p50 real,
  inference_ms_p95 real,
  cpu_pct          real,
  rss_mb           real,
  outbox_depth     integer NOT NULL,
  outbox_dropped   integer,
  models           jsonb,
  config_version   integer,
  received_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (id, time)
);
SELECT create_hypertable('health', by_range('time', INTERVAL '1 day'));
CREATE INDEX health_device_time_idx ON health (device_id, time DESC);

CREATE TABLE incidents (
  id               uuid PRIMARY KEY,
  type             text NOT NULL,
  severity         text NOT NULL,
  status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'dispatched', 'resolved')),
  device_id        text NOT NULL,
  district         text,
  lat              double precision NOT NULL,
  lon              double precision NOT NULL,
  first_event_id   uuid NOT NULL,
  last_event_id    uuid NOT NULL,
  event_count      integer NOT NULL DEFAULT 1,
  opened_at        timestamptz NOT NULL,
  last_event_at    timestamptz NOT NULL,
  acknowledged_at  timestamptz,
  dispatched_at    timestamptz,
  resolved_at      timestamptz,
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX incidents_open_idx ON incidents (device_id, type, last_event_at DESC) WHERE status <> 'resolved';
CREATE INDEX incidents_opened_idx ON incidents (opened_at DESC);

CREATE TABLE incident_log (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  incident_id  uuid NOT NULL REFERENCES incidents (id),
  at           timestamptz NOT NULL DEFAULT now(),
  action       text NOT NULL CHECK (action IN ('opened', 'event', 'acknowledged', 'dispatched', 'resolved', 'reopened', 'note', 'escalated')),
  actor        text NOT NULL,
  note         text,
  details      jsonb
);
CREATE INDEX incident_log_incident_idx ON incident_log (incident_id, at);

CREATE TABLE dead_letters (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  received_at  timestamptz NOT NULL DEFAULT now(),
  topic        text NOT NULL,
  payload      bytea NOT NULL,
  reason_code  text NOT NULL,
  reason       text NOT NULL,
  client_id    text,
  device_id    text
);
CREATE INDEX dead_letters_received_idx ON dead_letters (received_at DESC);
