-- Refresh, compression and retention policies. On a TimescaleDB server its background workers run them;
-- the embedded database has none, so the app runs the due jobs itself (db/src/policy-jobs.ts).
SELECT add_continuous_aggregate_policy('telemetry_5m', start_offset => INTERVAL '3 days', end_offset => INTERVAL '5 minutes', schedule_interval => INTERVAL '5 minutes');
SELECT add_continuous_aggregate_policy('telemetry_1h', start_offset => INTERVAL '7 days', end_offset => INTERVAL '1 hour', schedule_interval => INTERVAL '1 hour');
SELECT add_continuous_aggregate_policy('events_5m', start_offset => INTERVAL '3 days', end_offset => INTERVAL '5 minutes', schedule_interval => INTERVAL '5 minutes');
SELECT add_continuous_aggregate_policy('events_1h', start_offset => INTERVAL '7 days', end_offset => INTERVAL '1 hour', schedule_interval => INTERVAL '1 hour');

ALTER TABLE telemetry SET (timescaledb.compress, timescaledb.compress_segmentby = 'device_id', timescaledb.compress_orderby = 'time DESC');
ALTER TABLE events SET (timescaledb.compress, timescaledb.compress_segmentby = 'device_id', timescaledb.compress_orderby = 'time DESC');
ALTER TABLE health SET (timescaledb.compress, timescaledb.compress_segmentby = 'device_id', timescaledb.compress_orderby = 'time DESC');
SELECT add_compression_policy('telemetry', INTERVAL '7 days');
SELECT add_compression_policy('events', INTERVAL '7 days');
SELECT add_compression_policy('health', INTERVAL '3 days');

SELECT add_retention_policy('telemetry', INTERVAL '90 days');
SELECT add_retention_policy('health', INTERVAL '30 days');
SELECT add_retention_policy('events', INTERVAL '400 days');
SELECT add_retention_policy('telemetry_5m', INTERVAL '400 days');
