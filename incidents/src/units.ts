/**
 * The response units an admin manages (table units, 0010). A unit is dispatched only by an operator's
 * `dispatch` (operator-action.ts) and freed only by the incident's `resolve`, so its status and
 * incident_id always agree with the incident's log; by hand an admin sets name, kind, and available or
 * out of service.
 */
import type { Database, Queryable } from '@streetwise/db';
import type { ManualUnitStatus, UnitKind, UnitStatus } from './vocabulary.js';

export interface Unit {
  id: string;
  name: string;
  kind: UnitKind;
  status: UnitStatus;
  /** The incident it is dispatched to; null unless dispatched. */
  incidentId: string | null;
  updatedAt: string;
}

/** What the database accepts as a unit id (the CHECK on units.id). */
export const UNIT_ID_PATTERN = '^[a-z0-9][a-z0-9_-]{0,63}$';

const UNIT_JSON = `json_build_object('id', u.id, 'name', u.name, 'kind', u.kind, 'status', u.status, 'incidentId', u.incident_id,
  'updatedAt', to_char(u.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`;

export const SELECT_UNITS = `select ${UNIT_JSON} as unit from units u order by u.name, u.id`;
export const SELECT_UNIT_FOR_UPDATE = `select ${UNIT_JSON} as unit from units u where u.id = $1 for update`;
export const SELECT_INCIDENT_UNITS = `select ${UNIT_JSON} as unit from units u where u.incident_id = $1 order by u.name, u.id`;
/** $1 unit, $2 incident. */
export const DISPATCH_UNIT = `update units set status = 'dispatched', incident_id = $2, updated_at = now() where id = $1`;
/** Every unit dispatched to incident $1 becomes available again; returns their ids and names. */
export const FREE_UNITS = `update units set status = 'available', incident_id = null, updated_at = now() where incident_id = $1 returning id, name`;

export async function listUnits(q: Queryable): Promise<Unit[]> {
  return (await q.query<{ unit: Unit }>(SELECT_UNITS)).rows.map((r) => r.unit);
}

/** The units dispatched to one incident now. */
export async function incidentUnits(q: Queryable, incidentId: string): Promise<Unit[]> {
  return (await q.query<{ unit: Unit }>(SELECT_INCIDENT_UNITS, [incidentId])).rows.map((r) => r.unit);
}

export interface NewUnit {
  id: string;
  name: string;
  kind: UnitKind;
  status?: ManualUnitStatus | undefined;
}

export type UnitWriteResult =
  | { ok: true; unit: Unit }
  | { ok: false; reason: 'not_found' }
  /** Another unit has this id or name. */
  | { ok: false; reason: 'exists'; field: 'id' | 'name' }
  /** A dispatched unit's status changes only with its incident (resolve frees it). */
  | { ok: false; reason: 'dispatched'; unit: Unit };

/** PostgreSQL's unique_violation, and which of units' unique indexes it hit. */
function duplicate(err: unknown): 'id' | 'name' | undefined {
  const e = err as { code?: unknown; constraint?: unknown; message?: unknown };
  if (e.code !== '23505') return undefined;
  return `${String(e.constraint ?? '')} ${String(e.message ?? '')}`.includes('name') ? 'name' : 'id';
}

export async function createUnit(q: Queryable, unit: NewUnit): Promise<UnitWriteResult> {
  try {
    const { rows } = await q.query<{ unit: Unit }>(
      `insert into units as u (id, name, kind, status) values ($1, $2, $3, $4) returning ${UNIT_JSON} as unit`,
      [unit.id, unit.name, unit.kind, unit.status ?? 'available'],
    );
    return { ok: true, unit: rows[0]!.unit };
  } catch (err) {
    const field = duplicate(err);
    if (field === undefined) throw err;
    return { ok: false, reason: 'exists', field };
  }
}

export interface UnitChange {
  name?: string | undefined;
  kind?: UnitKind | undefined;
  status?: ManualUnitStatus | undefined;
}

export async function updateUnit(db: Database, id: string, change: UnitChange): Promise<UnitWriteResult> {
  try {
    return await db.transaction(async (tx): Promise<UnitWriteResult> => {
      const current = (await tx.query<{ unit: Unit }>(SELECT_UNIT_FOR_UPDATE, [id])).rows[0]?.unit;
      if (current === undefined) return { ok: false, reason: 'not_found' };
      if (change.status !== undefined && change.status !== current.status && current.status === 'dispatched') return { ok: false, reason: 'dispatched', unit: current };
      const { rows } = await tx.query<{ unit: Unit }>(
        `update units as u set name = coalesce($2, u.name), kind = coalesce($3, u.kind), status = coalesce($4, u.status), updated_at = now()
         where u.id = $1 returning ${UNIT_JSON} as unit`,
        [id, change.name ?? null, change.kind ?? null, change.status ?? null],
      );
      return { ok: true, unit: rows[0]!.unit };
    });
  } catch (err) {
    // Caught outside the transaction, which the failed statement has already rolled back.
    const field = duplicate(err);
    if (field === undefined) throw err;
    return { ok: false, reason: 'exists', field };
  }
}
