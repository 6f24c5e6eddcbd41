import { REMOTE_CAMERA_KEYS, type ConfigPatch } from '@streetwise/protocol';
import { validateConfig } from '../config/load.js';
import type { ConfigProblem } from '../config/problems.js';
import type { DeviceConfig } from '../config/schema.js';

/** What a config downlink may change on a running device (hot reload, no restart): the protocol says. */
export { REMOTE_CAMERA_KEYS };

export type PatchResult = { ok: true; config: DeviceConfig; changed: string[] } | { ok: false; problems: ConfigProblem[] };

/**
 * Merge a downlink patch (already checked against the protocol's schema by decodeConfig) into the running
 * config and validate the result as a whole (same schema and cross checks as at start): what only the device
 * knows, such as its camera names and frame sizes. `patch.thresholds` replaces the detector's thresholds;
 * `patch.cameras.<name>.<key>` replaces that camera's lines, zones, lanes, calibration or snapshots.
 */
export function applyPatch(current: DeviceConfig, patch: Omit<ConfigPatch, 'modelChunk'>): PatchResult {
  const problems: ConfigProblem[] = [];
  const next = structuredClone(current);
  const changed: string[] = [];
  if (patch.thresholds !== undefined) {
    if (!next.detector) problems.push({ path: ['patch', 'thresholds'], value: patch.thresholds, message: 'this device has no detector' });
    else next.detector.thresholds = structuredClone(patch.thresholds);
    changed.push('thresholds');
  }
  for (const [name, cameraPatch] of Object.entries(patch.cameras ?? {})) {
    const camera = next.cameras[name] as Record<string, unknown> | undefined;
    if (!camera) {
      problems.push({ path: ['patch', 'cameras', name], value: name, message: `no camera of that name (cameras: ${Object.keys(next.cameras).join(', ') || 'none'})` });
      continue;
    }
    for (const key of REMOTE_CAMERA_KEYS) {
      if (cameraPatch[key] === undefined) continue;
      camera[key] = structuredClone(cameraPatch[key]);
      changed.push(`cameras.${name}.${key}`);
    }
  }
  if (problems.length) return { ok: false, problems };
  const result = validateConfig(next);
  return result.ok ? { ok: true, config: result.value, changed } : { ok: false, problems: result.problems };
}
