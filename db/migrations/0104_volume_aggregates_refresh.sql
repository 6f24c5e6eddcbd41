-- migrate:no-transaction
-- Materialise the aggregates 0103 rebuilt over all stored telemetry, parents first (hierarchical). Without
-- it the first policy refresh (a 3-, 7- or 10-day window) would move each aggregate's watermark past older
-- data that was never materialised, and real-time aggregation would no longer show it. A refresh cannot run
-- in a transaction: the runner runs this file statement by statement.
CALL refresh_continuous_aggregate('telemetry_5m', NULL, NULL);
CALL refresh_continuous_aggregate('telemetry_1h', NULL, NULL);
CALL refresh_continuous_aggregate('telemetry_1d', NULL, NULL);
