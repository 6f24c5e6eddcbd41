import { describe, expect, it } from 'vitest';
import { ingestHelp, INGEST_SETTINGS, parseIngestSettings } from './settings.js';

describe('ingest settings', () => {
  it('reads env, lets flags win, and fills defaults', () => {
    const parsed = parseIngestSettings(['--connections', '8', '--port=0'], { MQTT_URL: 'mqtt://127.0.0.1:1883', DATABASE_URL: 'postgres://postgres@127.0.0.1:5433/postgres', INGEST_CONNECTIONS: '4' });
    expect(parsed.ok && parsed.settings).toMatchObject({ connections: 8, port: 0, group: 'ingest', batchMaxRows: 500, migrate: true });
    expect(parsed.ok && parsed.settings.clientIdPrefix).toMatch(/^ingest-/);
  });

  it('lists every problem as SETTING | value | expected', () => {
    const parsed = parseIngestSettings(['--connections', '0', '--nope'], { DATABASE_URL: 'mysql://x' });
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && !parsed.help && parsed.problems).toEqual([
      '--nope | | not a known flag; see --help',
      'MQTT_URL | (not set) | required: MQTT 5 broker (Mosquitto, EMQX), e.g. mqtt://127.0.0.1:1883',
      'DATABASE_URL | "mysql://x" | a URL starting with postgres:// or postgresql://',
      '--connections | "0" | a whole number from 1 to 1024',
    ]);
  });

  it('--help names every setting', () => {
    expect(parseIngestSettings(['--help'], {})).toEqual({ ok: false, help: true });
    const help = ingestHelp();
    for (const s of Object.values(INGEST_SETTINGS.specs)) expect(help).toContain(s.env);
  });
});
