import { describe, expect, it } from 'vitest';
import { drainHelp, parseDrainSettings } from './drain-settings.js';

describe('drain settings', () => {
  const base = { MQTT_URL: 'mqtt://127.0.0.1:1883', DATABASE_URL: 'postgres://u@h/db' };

  it('needs the dead worker\'s client id, and reports every problem at once', () => {
    const parsed = parseDrainSettings([], {});
    expect(parsed).toMatchObject({ ok: false, help: false });
    const problems = (parsed as { problems: string[] }).problems.join('\n');
    for (const name of ['MQTT_URL', 'DATABASE_URL', 'INGEST_CLIENT_ID']) expect(problems).toContain(name);
  });

  it('reads ingest\'s names for the shared settings and its own for the wait', () => {
    const parsed = parseDrainSettings(['--client-id', 'ingest-host2', '--idle-ms', '500'], { ...base, INGEST_CONNECTIONS: '8', DB_REQUIRE_TIMESCALE: 'false' });
    expect(parsed).toMatchObject({ ok: true, settings: { clientIdPrefix: 'ingest-host2', connections: 8, idleMs: 500, timeoutS: 600, requireTimescale: false, group: 'ingest' } });
  });

  it('has no /metrics port or migration flag (it runs once, beside the workers)', () => {
    expect(parseDrainSettings(['--client-id', 'x', '--port', '1'], base)).toMatchObject({ ok: false });
    expect(drainHelp()).not.toContain('INGEST_MIGRATE');
    expect(drainHelp()).toContain('DRAIN_TIMEOUT_S');
  });
});
