import type { StatusMessage } from '@streetwise/protocol';
import { jsonText, type TableWrite } from './kind.js';
import type { UnnestedRows } from '../unnest-rows.js';

/**
 * Status messages (protocol `status`) → devices. A birth (state "online") registers or updates its
 * device; a last will (state "offline") only changes the state. One row per device and batch: the
 * batch's last birth, with the device's final state in the batch (a later last will wins).
 */
export interface Birth {
  message: StatusMessage;
  state: 'online' | 'offline';
}

export const birthWrite: TableWrite<Birth> = {
  table: 'devices',
  columns: [
    ['id', 'text', (b) => b.message.deviceId],
    ['kind', 'text', (b) => b.message.kind ?? 'multi'],
    ['name', 'text', (b) => b.message.name],
    ['district', 'text', (b) => b.message.district],
    ['road', 'text', (b) => b.message.road],
    ['lat', 'float8', (b) => b.message.location?.lat],
    ['lon', 'float8', (b) => b.message.location?.lon],
    // A text[] column: one array per row cannot travel in an unnest of arrays, so it travels as JSON.
    ['capabilities', 'jsonb', (b) => jsonText(b.message.capabilities), (v) => `coalesce(array(select jsonb_array_elements_text(${v})), '{}'::text[])`],
    ['models', 'jsonb', (b) => jsonText(b.message.models), (v) => `coalesce(${v}, '{}'::jsonb)`],
    ['firmware', 'text', (b) => b.message.firmware],
    ['config_version', 'int', (b) => b.message.configVersion],
    ['health_interval_s', 'int', (b) => b.message.healthIntervalS],
    ['state', 'text', (b) => b.state],
  ],
};

/** The batch's births, each with its device's final state. */
export function birthRows(births: ReadonlyMap<string, StatusMessage>, finalState: ReadonlyMap<string, 'online' | 'offline'>): Birth[] {
  return [...births.values()].map((message) => ({ message, state: finalState.get(message.deviceId) ?? 'online' }));
}

/**
 * Upsert of the births: what a birth leaves out keeps its stored value; a blocked device is left
 * alone. Returns each device written, whether it is new and whether its state changed.
 */
export function upsertBirths(rows: UnnestedRows): string {
  return `insert into devices as d (${rows.columns}, last_seen_at, state_changed_at)
  select ${rows.values}, now(), now()
  from ${rows.from}
  on conflict (id) do update set
    kind = excluded.kind, name = coalesce(excluded.name, d.name), district = coalesce(excluded.district, d.district),
    road = coalesce(excluded.road, d.road), lat = coalesce(excluded.lat, d.lat), lon = coalesce(excluded.lon, d.lon),
    capabilities = excluded.capabilities, models = excluded.models, firmware = coalesce(excluded.firmware, d.firmware),
    config_version = coalesce(excluded.config_version, d.config_version),
    health_interval_s = coalesce(excluded.health_interval_s, d.health_interval_s), state = excluded.state, last_seen_at = now(),
    state_changed_at = case when d.state <> excluded.state then now() else d.state_changed_at end
  where not d.blocked
  returning d.id, d.state, (d.registered_at = now()) as registered, (d.state_changed_at = now()) as changed`;
}

/** Last wills of devices without a birth in the batch: `ids` is the text[] parameter. */
export function updateLastWills(ids: string): string {
  return `update devices set state = 'offline', state_changed_at = now(), last_seen_at = now()
  where id = any(${ids}) and state <> 'offline' and not blocked
  returning id`;
}
