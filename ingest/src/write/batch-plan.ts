import type { MessageByKind, StatusMessage } from '@streetwise/protocol';
import type { KnownDevice } from './device-cache.js';
import type { RowKindName, Timed } from './kinds/kind.js';
import { ROW_KIND_NAMES } from './kinds/registry.js';
import type { AcceptedItem, IngestResult, IntakeItem, RejectedItem } from '../types.js';

/**
 * What a batch will write, decided in memory before any SQL: in-batch duplicates, blocked and unknown
 * devices (dead letter, or deferred while an unknown device may still send its birth), births and last
 * wills per device (the batch's last word wins), and the rows of each row kind (kinds/registry.ts). Pure.
 */
export type ItemOutcome = IngestResult | 'deferred';

export type Indexed<M> = Timed<M> & { index: number };

export interface BatchPlan {
  /** Known now: dead letters, status messages, deferred. Rows get theirs after the insert. */
  outcomes: Array<ItemOutcome | undefined>;
  /** Later copies of a message in the same batch, answered like their first copy. */
  copies: Map<number, number>;
  /** The rows of each row kind, e.g. rows.event. */
  rows: PlannedRows;
  /** The batch's last birth per device. */
  births: Map<string, StatusMessage>;
  /** Each device's final state in this batch (births and last wills in arrival order). */
  finalState: Map<string, 'online' | 'offline'>;
  deadLetters: RejectedItem[];
  deadIndex: number[];
  /** Devices that sent data rows (for last_seen_at). */
  seenDevices: Set<string>;
}

export type PlannedRows = { [K in RowKindName]: Array<Indexed<MessageByKind[K]>> };

export interface PlanContext {
  nowMs: number;
  unknownDeviceGraceMs: number;
}

export function planBatch(
  items: readonly IntakeItem[],
  firstSeenMs: readonly number[],
  devices: ReadonlyMap<string, KnownDevice>,
  ctx: PlanContext,
): BatchPlan {
  const plan: BatchPlan = {
    outcomes: new Array<ItemOutcome | undefined>(items.length),
    copies: new Map(),
    rows: Object.fromEntries(ROW_KIND_NAMES.map((kind) => [kind, []])) as unknown as PlannedRows,
    births: new Map(),
    finalState: new Map(),
    deadLetters: [],
    deadIndex: [],
    seenDevices: new Set(),
  };
  const reject = (index: number, item: IntakeItem, reasonCode: RejectedItem['reasonCode'], reason: string): void => {
    plan.deadLetters.push({ topic: item.topic, payload: item.payload, clientId: item.clientId, receivedAtMs: item.receivedAtMs, accepted: false, reasonCode, reason, deviceId: item.deviceId });
    plan.deadIndex.push(index);
    plan.outcomes[index] = 'dead_letter';
  };

  const firstById = new Map<string, number>();
  const accepted: number[] = [];
  items.forEach((item, index) => {
    if (!item.accepted) return reject(index, item, item.reasonCode, item.reason);
    const first = firstById.get(item.message.id);
    if (first !== undefined) plan.copies.set(index, first);
    else {
      firstById.set(item.message.id, index);
      accepted.push(index);
    }
  });

  const bornInBatch = new Set<string>();
  for (const i of accepted) {
    const item = items[i] as AcceptedItem;
    if (item.kind === 'status' && item.message.state === 'online' && devices.get(item.deviceId)?.blocked !== true) bornInBatch.add(item.deviceId);
  }

  for (const i of accepted) {
    const item = items[i] as AcceptedItem;
    const device = devices.get(item.deviceId);
    if (device?.blocked === true) {
      reject(i, item, 'blocked_device', `device "${item.deviceId}" is blocked`);
      continue;
    }
    if (device === undefined && !bornInBatch.has(item.deviceId)) {
      if (ctx.nowMs - firstSeenMs[i]! < ctx.unknownDeviceGraceMs) plan.outcomes[i] = 'deferred';
      else reject(i, item, 'unknown_device', `device "${item.deviceId}" is not registered: it must publish its birth (status "online" with kind and location) first`);
      continue;
    }
    if (item.kind === 'status') {
      plan.finalState.set(item.deviceId, item.message.state);
      if (item.message.state === 'online') plan.births.set(item.deviceId, item.message);
      plan.outcomes[i] = 'stored';
      continue;
    }
    // item.kind and item.message belong together (AcceptedMessage), which TypeScript cannot follow through the index.
    (plan.rows[item.kind] as Array<Indexed<typeof item.message>>).push({ receivedAtMs: item.receivedAtMs, index: i, message: item.message });
    plan.seenDevices.add(item.deviceId);
  }
  return plan;
}

/** Every item's outcome once the stored ids are known. */
export function finishOutcomes(plan: BatchPlan, stored: ReadonlySet<string>): ItemOutcome[] {
  const outcomes = [...plan.outcomes];
  for (const kind of ROW_KIND_NAMES) {
    for (const row of plan.rows[kind]) outcomes[row.index] = stored.has(row.message.id) ? 'stored' : 'duplicate';
  }
  for (const [copy, first] of plan.copies) outcomes[copy] = outcomes[first] === 'deferred' ? 'deferred' : 'duplicate';
  return outcomes.map((o) => o ?? 'duplicate');
}
