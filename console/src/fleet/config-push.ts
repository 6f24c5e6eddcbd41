/**
 * One config push from the fleet view: check the patch exactly as the device will (protocol's
 * encodeConfig), give each device its next config version and record the push (one transaction, the
 * devices' rows locked so two pushes at once cannot hand out one version twice), then publish each
 * device's message at QoS 1 and record what the broker said.
 */
import { randomUUID } from 'node:crypto';
import { badParameter } from '@streetwise/errors';
import type { Database } from '@streetwise/db';
import { deviceTopic, encodeConfig, makeMessage, type ConfigMessage, type ConfigPatch } from '@streetwise/protocol';
import type { DownlinkPublisher } from './downlink-publisher.js';
import { SW_CONSOLE_DOWNLINK_UNAVAILABLE, SW_CONSOLE_PUSH_NO_DEVICES } from './errors.js';

export interface PushRequest {
  by: string;
  /** Device ids as asked, or undefined for a district push. */
  deviceIds?: readonly string[];
  /** District code (already resolved), when no device ids. */
  district?: string;
  patch: unknown;
}

export interface PushedDevice {
  id: string;
  version: number;
  publishedAt: string | null;
  publishError: string | null;
}

export interface PushResult {
  pushId: string;
  pushedAt: string;
  devices: PushedDevice[];
}

/** Most devices one push may reach (a district holds a few hundred). */
export const MAX_PUSH_DEVICES = 5000;

/**
 * protocol's "path message" reason as the request field it is about: "/patch/thresholds/car …" →
 * parameter `patch.thresholds.car`. The sentence is kept whole after it.
 */
export function patchProblem(reason: string): Error {
  const text = reason.replace(/^config: /, '');
  const path = /^(\/\S*)/.exec(text)?.[1] ?? '/patch';
  const parameter = path.split('/').filter(Boolean).join('.') || 'patch';
  const rest = text.slice(path.length).trim();
  const allowed = /\(allowed: ([^)]*)\)/.exec(rest)?.[1]?.split(', ');
  return badParameter(parameter, `is refused as the device would refuse it: ${rest || 'invalid'}`, allowed);
}

/** The patch checked as the device checks it; throws a 400 naming the field. */
export function checkPatch(patch: unknown): ConfigPatch {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) throw badParameter('patch', 'must be an object (the protocol\'s config patch)');
  if (Object.keys(patch).length === 0) throw badParameter('patch', 'changes nothing: give thresholds or cameras');
  const probe = encodeConfig(makeMessage('config', { configVersion: 1, patch }));
  if (!probe.ok) throw patchProblem(probe.reason);
  return patch;
}

interface Allocated {
  id: string;
  version: number;
}

export async function pushConfig(db: Database, downlink: DownlinkPublisher, request: PushRequest): Promise<PushResult> {
  const patch = checkPatch(request.patch);
  if (downlink.state !== 'connected') {
    throw SW_CONSOLE_DOWNLINK_UNAVAILABLE([downlink.state === 'not_configured' ? 'no MQTT broker is configured (MQTT_URL with DOWNLINK_USER/DOWNLINK_PASSWORD)' : `not connected to the broker (${downlink.lastError ?? 'connecting'})`]);
  }
  const pushId = randomUUID();
  const target = request.deviceIds !== undefined ? { devices: [...request.deviceIds] } : { district: request.district };
  const { allocated, pushedAt } = await db.transaction(async (tx) => {
    const rows = await tx.query<{ id: string; version: number }>(
      `SELECT d.id, greatest(coalesce(d.config_version, 0), coalesce(p.version, 0)) + 1 AS version
       FROM devices d
       LEFT JOIN LATERAL (SELECT max(config_version) AS version FROM fleet_push_devices WHERE device_id = d.id) p ON true
       WHERE ($1::text[] IS NULL OR d.id = ANY($1::text[])) AND ($2::text IS NULL OR d.district = $2) AND NOT d.blocked
       ORDER BY d.id
       FOR UPDATE OF d`,
      [request.deviceIds ? [...request.deviceIds] : null, request.deviceIds ? null : (request.district ?? null)],
    );
    const found: Allocated[] = rows.rows.map((r) => ({ id: r.id, version: Number(r.version) }));
    if (request.deviceIds) {
      const known = new Set(found.map((r) => r.id));
      const missing = request.deviceIds.filter((id) => !known.has(id));
      if (missing.length > 0) throw badParameter('devices', `names no registered (unblocked) device: ${missing.slice(0, 5).map((id) => `"${id}"`).join(', ')}`);
    }
    if (found.length === 0) throw SW_CONSOLE_PUSH_NO_DEVICES([`district ${request.district ?? ''} has no registered (unblocked) device`]);
    if (found.length > MAX_PUSH_DEVICES) throw badParameter('district', `has ${found.length} devices; one push reaches at most ${MAX_PUSH_DEVICES}`);
    const pushed = await tx.query<{ pushed_at: Date | string }>(
      'INSERT INTO fleet_pushes (id, pushed_by, target, patch) VALUES ($1, $2, $3::jsonb, $4::jsonb) RETURNING pushed_at',
      [pushId, request.by, JSON.stringify(target), JSON.stringify(patch)],
    );
    await tx.query(
      'INSERT INTO fleet_push_devices (push_id, device_id, config_version) SELECT $1, * FROM unnest($2::text[], $3::int[])',
      [pushId, found.map((r) => r.id), found.map((r) => r.version)],
    );
    return { allocated: found, pushedAt: new Date(pushed.rows[0]!.pushed_at).toISOString() };
  });

  const outcomes = await Promise.all(allocated.map((device) => publishOne(downlink, device, patch)));
  await db.query(
    `UPDATE fleet_push_devices x SET published_at = CASE WHEN u.error IS NULL THEN now() END, publish_error = u.error
     FROM unnest($2::text[], $3::text[]) AS u(device_id, error)
     WHERE x.push_id = $1 AND x.device_id = u.device_id`,
    [pushId, outcomes.map((o) => o.id), outcomes.map((o) => o.publishError)],
  );
  const now = new Date().toISOString();
  return { pushId, pushedAt, devices: outcomes.map((o) => ({ ...o, publishedAt: o.publishError === null ? now : null })) };
}

async function publishOne(downlink: DownlinkPublisher, device: Allocated, patch: ConfigPatch): Promise<{ id: string; version: number; publishError: string | null }> {
  const message: ConfigMessage = makeMessage('config', { configVersion: device.version, patch });
  const encoded = encodeConfig(message);
  if (!encoded.ok) return { id: device.id, version: device.version, publishError: encoded.reason.slice(0, 500) };
  try {
    await downlink.publish(deviceTopic(device.id, 'config', downlink.prefix), encoded.payload);
    return { id: device.id, version: device.version, publishError: null };
  } catch (err) {
    return { id: device.id, version: device.version, publishError: (err as Error).message.slice(0, 500) };
  }
}
