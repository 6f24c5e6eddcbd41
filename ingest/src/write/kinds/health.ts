import { isoFromMs, jsonText, type RowKind } from './kind.js';

/** Health messages (protocol `health`) → health. */
export const healthKind: RowKind<'health'> = {
  table: 'health',
  columns: [
    ['time', 'timestamptz', (r) => r.message.ts],
    ['id', 'uuid', (r) => r.message.id],
    ['device_id', 'text', (r) => r.message.deviceId],
    ['uptime_s', 'float8', (r) => r.message.uptimeS],
    ['fps', 'real', (r) => r.message.fps],
    ['fps_target', 'real', (r) => r.message.fpsTarget],
    ['inference_ms_p50', 'real', (r) => r.message.inferenceMsP50],
    ['inference_ms_p95', 'real', (r) => r.message.inferenceMsP95],
    ['cpu_pct', 'real', (r) => r.message.cpuPct],
    ['rss_mb', 'real', (r) => r.message.rssMb],
    ['outbox_depth', 'int', (r) => r.message.outboxDepth],
    ['outbox_dropped', 'int', (r) => r.message.outboxDropped],
    ['inference_errors', 'int', (r) => r.message.inferenceErrors],
    ['models', 'jsonb', (r) => jsonText(r.message.models)],
    ['config_version', 'int', (r) => r.message.configVersion],
    ['feed_age_s', 'real', (r) => r.message.feedAgeS],
    ['devices_stale', 'int', (r) => r.message.devicesStale],
    ['devices_offline', 'int', (r) => r.message.devicesOffline],
    ['received_at', 'timestamptz', (r) => isoFromMs(r.receivedAtMs)],
  ],
  // The devices whose health arrived: NOTIFY sw_health tells the console to look at their state again.
  returning: ['device_id'],
};
