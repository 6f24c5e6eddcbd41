/**
 * An incident's timeline: the audit log from GET /incidents/:id (opened, each event, each action, each
 * note, each view), plus what `incident` socket messages said since, until the next GET replaces them.
 * Oldest first; one row per (action, actor, time) so a message and its log row show once.
 */

export type TimelineActorKind = 'system' | 'user';

export interface TimelineEntry {
  at: string;
  action: string;
  actor: string;
  actorKind: TimelineActorKind;
  note: string | null;
  details: Record<string, unknown> | null;
}

/** A log row as GET /incidents/:id answers it. */
export interface LogRow {
  at: string;
  action: string;
  actor: string;
  actorKind: string;
  note: string | null;
  details?: Record<string, unknown> | null;
}

/** The parts of an `incident` socket message a timeline reads. */
export interface TimelineMessage {
  action: string;
  actor: { kind: string; id: string };
  at: string;
}

const actorKind = (kind: string): TimelineActorKind => (kind === 'user' ? 'user' : 'system');

export const entryFromLog = (row: LogRow): TimelineEntry => ({
  at: row.at, action: row.action, actor: row.actor, actorKind: actorKind(row.actorKind), note: row.note, details: row.details ?? null,
});

/** A message has no note text: the row shows that a note was added, and the next GET fills it in. */
export const entryFromMessage = (message: TimelineMessage): TimelineEntry => ({
  at: message.at, action: message.action, actor: message.actor.id, actorKind: actorKind(message.actor.kind), note: null, details: null,
});

export const entryKey = (entry: TimelineEntry): string => `${entry.action}|${entry.actorKind}:${entry.actor}|${Date.parse(entry.at)}`;

export function mergeTimeline(logged: readonly TimelineEntry[], live: readonly TimelineEntry[]): TimelineEntry[] {
  const byKey = new Map<string, TimelineEntry>();
  for (const entry of logged) byKey.set(entryKey(entry), entry);
  // A log row wins over the message that announced it (it carries the note and details).
  for (const entry of live) if (!byKey.has(entryKey(entry))) byKey.set(entryKey(entry), entry);
  return [...byKey.values()].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}
