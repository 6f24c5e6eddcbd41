import { validateConfig } from '../config/load.js';
import type { ConfigProblem } from '../config/problems.js';
import type { DeviceConfig } from '../config/schema.js';

/** What a config downlink may change on a running device (hot reload, no restart). */
export const REMOTE_CAMERA_KEYS = ['lines', 'zones', 'lanes', 'calibration', 'snapshots'] as const;
export const REMOTE_KEYS = ['thresholds', 'cameras'] as const;

export type PatchResult = { ok: true; config: DeviceConfig; changed: string[] } | { ok: false; problems: ConfigProblem[] };

/**
 * Merge a downlink patch into the running config and validate the result as a whole (same schema and cross
 * checks as at start). `patch.thresholds` replaces the detector's thresholds; `patch.cameras.<name>.<key>`
 * replaces that camera's lines, zones, lanes, calibration or snapshots.
 */
export function applyPatch(current: DeviceConfig, patch: Record<string, unknown>): PatchResult {
  const problems: ConfigProblem[] = [];
  const next = structuredClone(current) as DeviceConfig & Record<string, unknown>;
  const changed: string[] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (key === 'thresholds') {
      if (!next.detector) problems.push({ path: ['patch', key], value, message: 'this device has no detector' });
      else next.detector.thresholds = value as never;
      changed.push('thresholds');
    } else if (key === 'cameras') {
      if (value === null || typeof value !== 'object') {
        problems.push({ path: ['patch', key], value, message: 'expected an object of cameras by name' });
        continue;
      }
      for (const [name, camPatch] of Object.entries(value as Record<string, unknown>)) {
        const camera = next.cameras[name] as Record<string, unknown> | undefined;
        if (!camera) {
          problems.push({ path: ['patch', 'cameras', name], value: name, message: `no camera of that name (cameras: ${Object.keys(next.cameras).join(', ') || 'none'})` });
          continue;
        }
        if (camPatch === null || typeof camPatch !== 'object') {
          problems.push({ path: ['patch', 'cameras', name], value: camPatch, message: 'expected an object' });
          continue;
        }
        for (const [camKey, camValue] of Object.entries(camPatch as Record<string, unknown>)) {
          if (!(REMOTE_CAMERA_KEYS as readonly string[]).includes(camKey)) {
            problems.push({ path: ['patch', 'cameras', name, camKey], value: camValue, message: `cannot be changed remotely (allowed: ${REMOTE_CAMERA_KEYS.join(', ')})` });
            continue;
          }
          camera[camKey] = camValue;
          changed.push(`cameras.${name}.${camKey}`);
        }
      }
    } else {
      problems.push({ path: ['patch', key], value, message: `cannot be changed remotely (allowed: ${REMOTE_KEYS.join(', ')})` });
    }
  }
  if (problems.length) return { ok: false, problems };
  const result = validateConfig(next);
  return result.ok ? { ok: true, config: result.value, changed } : { ok: false, problems: result.problems };
}
