-- Loop-detector volume in the telemetry aggregates (owned by @streetwise/analytics). telemetry_5m, _1h and
-- _1d gain `volume`: Σ telemetry.volume over the rows that carry no class count (all six count_<class>
-- NULL) — exactly the rows whose vehicles the volume measure takes from `volume` (a row's motor vehicles
-- are its class counts when it has any, else its volume), so the aggregates answer like raw rows. NULL
-- when no such row has a volume (sum ignores NULLs), like the class sums.
-- TimescaleDB cannot add a column to a continuous aggregate: the three are dropped (children first) and
-- recreated with the definitions of 0002/0102 plus the column, WITH NO DATA, and their policies re-added
-- as 0003/0102 set them. 0104 then refreshes them over all data (a refresh cannot run in a transaction).
-- Data kept only in an aggregate (rows older than telemetry's 90-day retention) is lost by the rebuild.
DROP MATERIALIZED VIEW telemetry_1d;
DROP MATERIALIZED VIEW telemetry_1h;
DROP MATERIALIZED VIEW telemetry_5m;
-- The dropped aggregates' jobs are gone; forget when the embedded runner last ran them.
DELETE FROM policy_job_runs WHERE job_id NOT IN (SELECT job_id FROM timescaledb_information.jobs);

CREATE MATERIALIZED VIEW telemetry_5m WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT time_bucket(INTERVAL '5 minutes', time) AS bucket,
       device_id,
       count(*)                      AS samples,
       sum(interval_s)               AS interval_s_sum,
       sum(count_person)             AS count_person,
       sum(count_bicycle)            AS count_bicycle,
       sum(count_car)                AS count_car,
       sum(count_motorcycle)         AS count_motorcycle,
       sum(count_bus)                AS count_bus,
       sum(count_truck)              AS count_truck,
       sum(speed_kmh_avg)            AS speed_sum,
       count(speed_kmh_avg)          AS speed_n,
       sum(occupancy_pct)            AS occupancy_sum,
       count(occupancy_pct)          AS occupancy_n,
       max(queue_length_m)           AS queue_length_m_max,
       max(zone_occupancy)           AS zone_occupancy_max,
       sum(pm25)                     AS pm25_sum,
       count(pm25)                   AS pm25_n,
       max(pm25)                     AS pm25_max,
       sum(no2)                      AS no2_sum,
       count(no2)                    AS no2_n,
       max(no2)                      AS no2_max,
       sum(noise_dba)                AS noise_sum,
       count(noise_dba)              AS noise_n,
       max(noise_dba)                AS noise_max,
       sum(volume) FILTER (WHERE count_person IS NULL AND count_bicycle IS NULL AND count_car IS NULL AND count_motorcycle IS NULL AND count_bus IS NULL AND count_truck IS NULL) AS volume
FROM telemetry
GROUP BY bucket, device_id
WITH NO DATA;

CREATE MATERIALIZED VIEW telemetry_1h WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT time_bucket(INTERVAL '1 hour', bucket) AS bucket,
       device_id,
       sum(samples)            AS samples,
       sum(interval_s_sum)     AS interval_s_sum,
       sum(count_person)       AS count_person,
       sum(count_bicycle)      AS count_bicycle,
       sum(count_car)          AS count_car,
       sum(count_motorcycle)   AS count_motorcycle,
       sum(count_bus)          AS count_bus,
       sum(count_truck)        AS count_truck,
       sum(speed_sum)          AS speed_sum,
       sum(speed_n)            AS speed_n,
       sum(occupancy_sum)      AS occupancy_sum,
       sum(occupancy_n)        AS occupancy_n,
       max(queue_length_m_max) AS queue_length_m_max,
       max(zone_occupancy_max) AS zone_occupancy_max,
       sum(pm25_sum)           AS pm25_sum,
       sum(pm25_n)             AS pm25_n,
       max(pm25_max)           AS pm25_max,
       sum(no2_sum)            AS no2_sum,
       sum(no2_n)              AS no2_n,
       max(no2_max)            AS no2_max,
       sum(noise_sum)          AS noise_sum,
       sum(noise_n)            AS noise_n,
       max(noise_max)          AS noise_max,
       sum(volume)             AS volume
FROM telemetry_5m
GROUP BY 1, device_id
WITH NO DATA;

CREATE MATERIALIZED VIEW telemetry_1d WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT time_bucket(INTERVAL '1 day', bucket, 'Asia/Hong_Kong') AS bucket,
       device_id,
       sum(samples)            AS samples,
       sum(interval_s_sum)     AS interval_s_sum,
       sum(count_person)       AS count_person,
       sum(count_bicycle)      AS count_bicycle,
       sum(count_car)          AS count_car,
       sum(count_motorcycle)   AS count_motorcycle,
       sum(count_bus)          AS count_bus,
       sum(count_truck)        AS count_truck,
       sum(speed_sum)          AS speed_sum,
       sum(speed_n)            AS speed_n,
       sum(occupancy_sum)      AS occupancy_sum,
       sum(occupancy_n)        AS occupancy_n,
       max(queue_length_m_max) AS queue_length_m_max,
       max(zone_occupancy_max) AS zone_occupancy_max,
       sum(pm25_sum)           AS pm25_sum,
       sum(pm25_n)             AS pm25_n,
       max(pm25_max)           AS pm25_max,
       sum(no2_sum)            AS no2_sum,
       sum(no2_n)              AS no2_n,
       max(no2_max)            AS no2_max,
       sum(noise_sum)          AS noise_sum,
       sum(noise_n)            AS noise_n,
       max(noise_max)          AS noise_max,
       sum(volume)             AS volume
FROM telemetry_1h
GROUP BY 1, device_id
WITH NO DATA;

SELECT add_continuous_aggregate_policy('telemetry_5m', start_offset => INTERVAL '3 days', end_offset => INTERVAL '5 minutes', schedule_interval => INTERVAL '5 minutes');
SELECT add_continuous_aggregate_policy('telemetry_1h', start_offset => INTERVAL '7 days', end_offset => INTERVAL '1 hour', schedule_interval => INTERVAL '1 hour');
SELECT add_continuous_aggregate_policy('telemetry_1d', start_offset => INTERVAL '10 days', end_offset => INTERVAL '1 day', schedule_interval => INTERVAL '1 hour');
SELECT add_retention_policy('telemetry_5m', INTERVAL '400 days');
SELECT add_retention_policy('telemetry_1d', INTERVAL '1830 days');
