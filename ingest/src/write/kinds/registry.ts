import type { RowKind, RowKindName } from './kind.js';
import { eventKind } from './event.js';
import { healthKind } from './health.js';
import { telemetryKind } from './telemetry.js';

/**
 * Every message kind stored one row per message, by the protocol's kind name. Planning sorts a batch's
 * messages by these keys, the batch statement inserts each kind's rows, committing reads back each
 * kind's stored ids. Keyed by every uplink kind but status, so a new protocol kind does not compile
 * until it has its file here. Status messages (devices) and dead letters: status.ts, dead-letter.ts.
 */
export const ROW_KINDS: { readonly [K in RowKindName]: RowKind<K> } = {
  event: eventKind,
  telemetry: telemetryKind,
  health: healthKind,
};

export const ROW_KIND_NAMES = Object.keys(ROW_KINDS) as RowKindName[];

export function isRowKind(kind: string): kind is RowKindName {
  return Object.hasOwn(ROW_KINDS, kind);
}
