-- Daily telemetry aggregate (owned by @streetwise/analytics): Hong Kong days (00:00–24:00 HKT), on top of
-- telemetry_1h (hierarchical), with real-time aggregation. The query planner reads it for day, week and
-- whole-range buckets over ranges on Hong Kong midnights: a 30-day district query reads 30 rows per
-- device instead of 720 hourly ones. Sums, counts and maxima only, like telemetry_5m/1h.
-- The bucket uses the time-zone form: a hierarchical aggregate must keep its parent's origin, so the
-- origin form (TIMESTAMPTZ '2000-01-03 00:00+08') is refused; Hong Kong has no daylight saving, so the
-- buckets are the same fixed 24-hour days starting 16:00 UTC.
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
       max(noise_max)          AS noise_max
FROM telemetry_1h
GROUP BY 1, device_id
WITH NO DATA;

SELECT add_continuous_aggregate_policy('telemetry_1d', start_offset => INTERVAL '10 days', end_offset => INTERVAL '1 day', schedule_interval => INTERVAL '1 hour');
SELECT add_retention_policy('telemetry_1d', INTERVAL '1830 days');
