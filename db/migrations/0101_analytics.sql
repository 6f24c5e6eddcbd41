-- Analytics (owned by @streetwise/analytics): free-flow speeds for the congestion index, traffic
-- forecasts, and an index for the operator KPIs. Additive only: 0001–0003 are unchanged.

-- Free-flow speed per device. `configured_kmh` (set by an operator) wins over `computed_kmh`, the 85th
-- percentile of the device's night-time (00:00–05:00 Hong Kong) 5-minute mean speeds over 28 days,
-- refreshed by the analytics job (analytics/src/measures/free-flow.ts).
CREATE TABLE analytics_free_flow (
  device_id          text PRIMARY KEY,
  configured_kmh     real CHECK (configured_kmh > 0),
  computed_kmh       real CHECK (computed_kmh > 0),
  computed_intervals integer,
  computed_at        timestamptz,
  updated_at         timestamptz NOT NULL DEFAULT now()
);

-- Traffic forecasts: one row per device, horizon and target interval; a later run for the same target
-- replaces the earlier one. `target_time` is the end of the 5-minute interval forecast, like telemetry.time.
CREATE TABLE forecasts (
  target_time    timestamptz NOT NULL,
  device_id      text NOT NULL,
  horizon_min    integer NOT NULL CHECK (horizon_min > 0),
  issued_at      timestamptz NOT NULL,
  flow           real,
  speed_kmh      real,
  model_name     text NOT NULL,
  model_version  text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (device_id, horizon_min, target_time)
);
SELECT create_hypertable('forecasts', by_range('target_time', INTERVAL '7 days'));
CREATE INDEX forecasts_target_idx ON forecasts (target_time DESC);
SELECT add_retention_policy('forecasts', INTERVAL '90 days');

-- Operator KPIs and incident counts filter by district and opening time.
CREATE INDEX incidents_district_opened_idx ON incidents (district, opened_at);
