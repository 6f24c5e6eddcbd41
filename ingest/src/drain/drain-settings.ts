import { defineSettings, integer, type ParsedSettings } from '@streetwise/settings';
import { INGEST_SETTINGS } from '../settings.js';

/**
 * Settings of the drain program: the dead worker's broker and database settings, as ingest reads them
 * (the same names, so its unit's environment file serves both), with its client id required, plus how
 * long to wait. No /metrics port and no migrations: it runs once, beside the workers.
 */
const { port: _port, host: _host, migrate: _migrate, clientIdPrefix, ...shared } = INGEST_SETTINGS.specs;

export const DRAIN_SETTINGS = defineSettings({
  ...shared,
  clientIdPrefix: { ...clientIdPrefix, required: true, description: "the dead worker's INGEST_CLIENT_ID: its sessions are <this>-0 … <this>-<connections - 1>" },
  connections: { ...shared.connections, description: "the dead worker's INGEST_CONNECTIONS (one session per connection)" },
  idleMs: { env: 'DRAIN_IDLE_MS', flag: '--idle-ms', defaultValue: '2000', description: 'the queues are empty once nothing has arrived, and nothing is left to commit, for this long, ms', parse: integer(100, 600_000) },
  timeoutS: { env: 'DRAIN_TIMEOUT_S', flag: '--timeout-s', defaultValue: '600', description: 'give up after this long, keeping the sessions for another try (exit 1), seconds', parse: integer(1, 86_400) },
});

type Parsed = ReturnType<typeof DRAIN_SETTINGS.parse>;
export type DrainSettings = Extract<Parsed, { ok: true }>['settings'];

export function parseDrainSettings(argv: readonly string[], env: NodeJS.ProcessEnv): ParsedSettings<DrainSettings> {
  return DRAIN_SETTINGS.parse(argv, env);
}

export function drainHelp(): string {
  return `${DRAIN_SETTINGS.help(
    'npm run ingest:drain -- --client-id ID [flags]   (or node ingest/dist/drain/drain-main.js)',
    [
      "Drain an ingest worker that is gone for good: take over its MQTT 5 sessions, store what the broker queued",
      'for it (its share of the shared subscription), then end the sessions (session expiry 0) so the broker',
      'sends the whole stream to the living workers. Run it only once that worker is stopped for good: a worker',
      'still running would take its sessions back. Prints one JSON line: what was found and stored.',
      'Exit 0: drained and ended; 1: not drained in time (sessions kept); 2: bad settings.',
    ].join('\n'),
  )}`;
}
