/**
 * A key site that goes offline opens an incident of its own (type device_offline, severity high), in
 * the same statement that commits its offline status (batch-statement.ts). Exactly once, even with
 * several ingest workers: only the statement whose update really changed the device's state to offline
 * returns it (a concurrent one waits for the row lock, sees it offline already and changes nothing),
 * and no second incident opens while one is still open for the device. When the device comes back the
 * incident stays for an operator to resolve: someone should find out why a key site went dark.
 */
import { INCIDENT_JSON, INGEST_ACTOR } from '@streetwise/incidents';
import { NOTIFY_CHANNELS } from '@streetwise/db';

export const KEY_SITE_OFFLINE = { type: 'device_offline', severity: 'high' } as const;

const quote = (text: string): string => `'${text.replace(/'/g, "''")}'`;

/**
 * CTEs that open the incidents. `changed` is a select of the ids of devices that went offline in this
 * statement; `ids` is a parameter pairing device ids with new incident ids (text[][]: [deviceId,
 * incidentId]… for every device offline in the batch; those that are not key sites are not used).
 * The CTE named `keysite_opened` returns (incident json) and `keysite_notify` must be referenced.
 */
export function keySiteOfflineCtes(changed: string, ids: { devices: string; incidents: string }, notify: boolean): string[] {
  const actor = `json_build_object('kind', ${quote(INGEST_ACTOR.kind)}, 'id', ${quote(INGEST_ACTOR.id)})`;
  const ctes = [
    `keysite_opened as (
  insert into incidents as i (id, type, severity, device_id, district, lat, lon, first_event_id, last_event_id, event_count, opened_at, last_event_at)
  select n.incident_id, '${KEY_SITE_OFFLINE.type}', '${KEY_SITE_OFFLINE.severity}', d.id, d.district, d.lat, d.lon, n.incident_id, n.incident_id, 1, now(), now()
  from devices d
  join unnest(${ids.devices}, ${ids.incidents}) as n(device_id, incident_id) on n.device_id = d.id
  where d.id in (${changed}) and d.key_site and d.lat is not null and d.lon is not null
    and not exists (select 1 from incidents o where o.device_id = d.id and o.type = '${KEY_SITE_OFFLINE.type}' and o.status <> 'resolved')
  returning i.id, ${INCIDENT_JSON} as incident)`,
    `keysite_logged as (
  insert into incident_log (incident_id, action, actor_kind, actor, details)
  select id, 'opened', ${quote(INGEST_ACTOR.kind)}, ${quote(INGEST_ACTOR.id)}, '{"reason":"key site offline"}'::jsonb from keysite_opened)`,
    `keysite_message as (
  select json_build_object('v', 1, 'action', 'opened', 'incident', incident, 'actor', ${actor}, 'at', incident->>'updatedAt')::text as message
  from keysite_opened)`,
  ];
  if (notify) ctes.push(`keysite_notify as (select pg_notify('${NOTIFY_CHANNELS.incidents}', message) from keysite_message)`);
  return ctes;
}
