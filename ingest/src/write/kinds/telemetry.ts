import { isoFromMs, type RowKind } from './kind.js';

/** Telemetry messages (protocol `telemetry`) → telemetry; counts per object class get a column each. */
export const telemetryKind: RowKind<'telemetry'> = {
  table: 'telemetry',
  columns: [
    ['time', 'timestamptz', (r) => r.message.ts],
    ['id', 'uuid', (r) => r.message.id],
    ['device_id', 'text', (r) => r.message.deviceId],
    ['interval_s', 'int', (r) => r.message.intervalS],
    ['approach', 'text', (r) => r.message.approach],
    ['count_person', 'int', (r) => r.message.counts?.person],
    ['count_bicycle', 'int', (r) => r.message.counts?.bicycle],
    ['count_car', 'int', (r) => r.message.counts?.car],
    ['count_motorcycle', 'int', (r) => r.message.counts?.motorcycle],
    ['count_bus', 'int', (r) => r.message.counts?.bus],
    ['count_truck', 'int', (r) => r.message.counts?.truck],
    ['speed_kmh_avg', 'real', (r) => r.message.speedKmhAvg],
    ['speed_kmh_p85', 'real', (r) => r.message.speedKmhP85],
    ['occupancy_pct', 'real', (r) => r.message.occupancyPct],
    ['queue_length_m', 'real', (r) => r.message.queueLengthM],
    ['zone_occupancy', 'int', (r) => r.message.zoneOccupancy],
    ['pm25', 'real', (r) => r.message.pm25],
    ['no2', 'real', (r) => r.message.no2],
    ['noise_dba', 'real', (r) => r.message.noiseDba],
    ['congestion_index', 'real', (r) => r.message.congestionIndex],
    ['volume', 'int', (r) => r.message.volume],
    ['lanes_valid', 'int', (r) => r.message.lanesValid],
    ['lanes_invalid', 'int', (r) => r.message.lanesInvalid],
    ['observed_at', 'timestamptz', (r) => r.message.observedAt],
    ['received_at', 'timestamptz', (r) => isoFromMs(r.receivedAtMs)],
  ],
};
