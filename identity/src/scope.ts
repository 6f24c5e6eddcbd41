import { isDeviceId } from '@streetwise/protocol';
import { SW_IDENTITY_SCOPE_INVALID } from './errors.js';

/**
 * A gateway's scope: the devices it may speak for. Each entry is a device id ("cam-7"), a prefix
 * ending in "*" ("sim-*"), or "*" alone (every device).
 */
export function parseScope(raw: string): string[] {
  const entries = raw.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (entries.length === 0) throw SW_IDENTITY_SCOPE_INVALID([raw, 'name at least one device id or prefix*']);
  for (const entry of entries) {
    const head = entry.endsWith('*') ? entry.slice(0, -1) : entry;
    if (head === '' && entry === '*') continue;
    if (!isDeviceId(head)) throw SW_IDENTITY_SCOPE_INVALID([entry, 'each entry is a device id, or a device-id prefix ending in "*"']);
  }
  return entries;
}

export function scopeAllows(scope: readonly string[], deviceId: string): boolean {
  for (const entry of scope) {
    if (entry.endsWith('*') ? deviceId.startsWith(entry.slice(0, -1)) : deviceId === entry) return true;
  }
  return false;
}
