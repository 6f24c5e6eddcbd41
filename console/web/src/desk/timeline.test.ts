import { describe, expect, it } from 'vitest';
import { entryFromLog, entryFromMessage, mergeTimeline } from './timeline.js';

describe('the incident timeline', () => {
  const opened = entryFromLog({ at: '2026-03-01T12:00:00.000Z', action: 'opened', actor: 'ingest', actorKind: 'system', note: null, details: { eventId: 'e1' } });
  const note = entryFromLog({ at: '2026-03-01T12:02:00.000Z', action: 'note', actor: 'op1', actorKind: 'user', note: 'on the phone with the guard' });

  it('puts log rows and live messages in time order, one row per action', () => {
    const liveNote = entryFromMessage({ action: 'note', actor: { kind: 'user', id: 'op1' }, at: '2026-03-01T12:02:00Z' });
    const liveView = entryFromMessage({ action: 'viewed', actor: { kind: 'user', id: 'op2' }, at: '2026-03-01T12:01:00.000Z' });
    const merged = mergeTimeline([opened, note], [liveNote, liveView]);
    expect(merged.map((e) => `${e.action}:${e.actor}`)).toEqual(['opened:ingest', 'viewed:op2', 'note:op1']);
    // the logged note (with its text) wins over the message that announced it
    expect(merged[2]!.note).toBe('on the phone with the guard');
    expect(merged[0]!.details).toEqual({ eventId: 'e1' });
  });

  it('keeps two views by two people at the same instant', () => {
    const at = '2026-03-01T12:03:00.000Z';
    const views = [entryFromMessage({ action: 'viewed', actor: { kind: 'user', id: 'op1' }, at }), entryFromMessage({ action: 'viewed', actor: { kind: 'user', id: 'op2' }, at })];
    expect(mergeTimeline([], views)).toHaveLength(2);
  });
});
