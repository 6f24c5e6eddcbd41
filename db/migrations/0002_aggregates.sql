-- Continuous aggregates with real-time aggregation: 5-minute over raw rows, hourly over the 5-minute one
-- (hierarchical). They keep sums and counts, never averages of averages, so coarser grains stay exact.
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
       max(noise_dba)                AS noise_max
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
       max(noise_max)          AS noise_max
FROM telemetry_5m
GROUP BY 1, device_id
WITH NO DATA;

CREATE MATERIALIZED VIEW events_5m WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT time_bucket(INTERVAL '5 minutes', time) AS bucket, device_id, type, class, severity, count(*) AS events
FROM events
GROUP BY bucket, device_id, type, class, severity
WITH NO DATA;

CREATE MATERIALIZED VIEW events_1h WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT time_bucket(INTERVAL '1 hour', bucket) AS bucket, device_id, type, class, severity, sum(events) AS events
FROM events_5m
GROUP BY 1, device_id, type, class, severity
WITH NO DATA;
