import { describe, expect, it } from 'vitest';
import { buildIncidentMessage, encodeIncidentNotification, parseIncidentNotification, type IncidentView } from './incident-message.js';

const incident: IncidentView = {
  id: '0190a000-0000-7000-8000-000000000001', type: 'intrusion', severity: 'high', status: 'acknowledged', deviceId: 'cam-1',
  district: 'B', lat: 22.28, lon: 114.17, eventCount: 3, openedAt: '2025-03-01T08:00:00.000Z', lastEventAt: '2025-03-01T08:04:00.000Z',
  acknowledgedAt: '2025-03-01T08:05:00.000Z', dispatchedAt: null, resolvedAt: null, version: 4, updatedAt: '2025-03-01T08:05:00.000Z',
  outcome: null, unitIds: [], seenBy: ['op-7'],
};

describe('the sw_incidents message', () => {
  it('carries the action, the whole incident, who acted and when (the incident\'s updatedAt by default)', () => {
    const message = buildIncidentMessage('acknowledged', incident, { kind: 'user', id: 'op-7' });
    expect(message).toEqual({ v: 1, action: 'acknowledged', incident, actor: { kind: 'user', id: 'op-7' }, at: '2025-03-01T08:05:00.000Z' });
    const text = encodeIncidentNotification(message);
    expect(text).toBe(JSON.stringify(message));
    expect(parseIncidentNotification(text)).toEqual(message);
  });

  it('is cut to the incident id and version when it would not fit in a NOTIFY', () => {
    const message = buildIncidentMessage('event', { ...incident, district: 'x'.repeat(9000) }, { kind: 'system', id: 'ingest' }, '2025-03-01T08:06:00.000Z');
    const text = encodeIncidentNotification(message);
    expect(JSON.parse(text)).toEqual({
      v: 1, action: 'event', incident: { id: incident.id, version: 4 }, actor: { kind: 'system', id: 'ingest' }, at: '2025-03-01T08:06:00.000Z', cut: true,
    });
    expect(parseIncidentNotification(text)).toMatchObject({ cut: true });
  });

  it('counts the limit in UTF-8 bytes, not characters', () => {
    const message = buildIncidentMessage('opened', incident, { kind: 'system', id: 'ingest' });
    const bytes = Buffer.byteLength(JSON.stringify(message));
    // one 3-byte character: the message is bytes + 3 long, so cut under a limit of bytes + 2, whole at bytes + 3
    const district = (extra: number) => ({ ...message, incident: { ...incident, district: `B${'東'.repeat(extra)}` } });
    const withEast = Buffer.byteLength(JSON.stringify(district(1)));
    expect(withEast).toBe(bytes + 3);
    expect(JSON.parse(encodeIncidentNotification(district(1), bytes + 2))).toHaveProperty('cut', true);
    expect(JSON.parse(encodeIncidentNotification(district(1), bytes + 3))).not.toHaveProperty('cut');
  });

  it('refuses what is not such a message', () => {
    const good = JSON.stringify(buildIncidentMessage('opened', incident, { kind: 'system', id: 'ingest' }));
    const variants: Array<[string, string]> = [
      ['not JSON', '{'],
      ['the old ingest shape', JSON.stringify({ ...incident, action: 'opened' })],
      ['another version', good.replace('"v":1', '"v":2')],
      ['an unknown action', good.replace('"action":"opened"', '"action":"closed"')],
      ['an unknown actor kind', good.replace('"kind":"system"', '"kind":"robot"')],
      ['an unknown status', good.replace('"status":"acknowledged"', '"status":"closed"')],
    ];
    for (const [what, text] of variants) expect(parseIncidentNotification(text), what).toBeUndefined();
  });
});
