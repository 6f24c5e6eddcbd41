import { describe, expect, it } from 'vitest';
import { defineSettings, integer, oneOf, url, bool } from './settings.js';

const table = defineSettings({
  port: { env: 'PORT', flag: '--port', defaultValue: '3000', description: 'HTTP port', parse: integer(0, 65535) },
  db: { env: 'DATABASE_URL', flag: '--database-url', required: true, description: 'database', parse: url(['postgres']) },
  level: { env: 'LOG_LEVEL', flag: '--log-level', defaultValue: 'info', description: 'log level', parse: oneOf(['info', 'debug'] as const) },
  dry: { env: 'DRY', flag: '--dry', description: 'dry run', parse: bool },
});

describe('defineSettings', () => {
  it('takes defaults, then the environment, then flags', () => {
    const parsed = table.parse(['--port=81', '--log-level', 'debug'], { PORT: '80', DATABASE_URL: 'postgres://h/db' });
    expect(parsed).toEqual({ ok: true, settings: { port: 81, db: 'postgres://h/db', level: 'debug', dry: undefined } });
  });
  it('reports every problem at once as SETTING | value | expected', () => {
    const parsed = table.parse(['--colour', 'red', '--port'], { PORT: 'x', LOG_LEVEL: 'loud' });
    expect(parsed).toEqual({
      ok: false,
      help: false,
      problems: [
        '--colour | | not a known flag; see --help',
        '--port | | needs a value',
        'PORT | "x" | a whole number from 0 to 65535',
        'DATABASE_URL | (not set) | required: database',
        'LOG_LEVEL | "loud" | one of info, debug',
      ],
    });
  });
  it('lists every setting with its default in help', () => {
    const help = table.help('prog', 'about');
    expect(help).toMatch(/PORT \/ --port\s+HTTP port \(default: 3000\)/);
    expect(help).toMatch(/DATABASE_URL \/ --database-url\s+database \(required\)/);
    expect(table.parse(['-h'], {})).toEqual({ ok: false, help: true });
  });
});
