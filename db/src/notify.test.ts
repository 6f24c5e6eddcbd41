import { describe, expect, it } from 'vitest';
import { NOTIFY_CHANNELS, encodeNotifyPayload, notify } from './notify.js';
import type { Queryable } from './port.js';

describe('notify', () => {
  it('names the shared channels', () => {
    expect(NOTIFY_CHANNELS).toEqual({ events: 'sw_events', incidents: 'sw_incidents', devices: 'sw_devices', health: 'sw_health' });
  });

  it('sends JSON through pg_notify with parameters', async () => {
    const sent: Array<readonly unknown[] | undefined> = [];
    const q: Queryable = {
      query: async (_sql, params) => {
        sent.push(params);
        return { rows: [], rowCount: 1 };
      },
    };
    await notify(q, NOTIFY_CHANNELS.events, { ids: ['a'], n: 1 });
    expect(sent).toEqual([['sw_events', '{"ids":["a"],"n":1}']]);
  });

  it('refuses payloads of 8000 bytes or more, counting UTF-8 bytes, and bad channel names', async () => {
    // {"s":"…"} adds 8 bytes: 7991 characters make 7999 bytes (allowed), 7992 make 8000 (refused).
    expect(encodeNotifyPayload('sw_events', { s: 'x'.repeat(7991) })).toHaveLength(7999);
    expect(() => encodeNotifyPayload('sw_events', { s: 'x'.repeat(7992) })).toThrow(expect.objectContaining({ code: 'SW_DB_NOTIFY_PAYLOAD_TOO_LARGE' }));
    expect(() => encodeNotifyPayload('sw_events', { s: '✓'.repeat(2700) })).toThrow(/bytes/);
    const q: Queryable = { query: async () => ({ rows: [], rowCount: 0 }) };
    await expect(notify(q, 'Robert"); DROP TABLE', {})).rejects.toMatchObject({ code: 'SW_DB_CHANNEL_INVALID' });
  });
});
