/**
 * A device's district as data: whatever the birth says ("Central and Western", "中西區", "a", …) becomes
 * the official code letter through findDistrict; when it says none, or a name that is no district, the
 * code comes from the device's location (point in the official polygons). A device is never refused for
 * its district: an unknown name with no usable location is stored as NULL, and the disagreement is a
 * note for the log and the mismatch metric. Pure: the boundaries are read once (createIngest reads them at start).
 */
import { districtAt, findDistrict, type DistrictCode } from '@streetwise/districts';
import type { StatusMessage } from '@streetwise/protocol';

export type DistrictMismatchReason =
  /** The text names no district; the location's district (or NULL) is stored. */
  | 'unknown_name'
  /** The text names one district, the location lies in another; the named one is stored (the polygons are coarse). */
  | 'location_differs';

export interface DistrictNote {
  reason: DistrictMismatchReason;
  deviceId: string;
  /** What the device sent. */
  sent: string;
  /** The code stored, or null. */
  stored: DistrictCode | null;
  /** The district the location lies in, when it lies in one. */
  located: DistrictCode | null;
}

export interface ResolvedDistrict {
  message: StatusMessage;
  note?: DistrictNote | undefined;
}

/** The status message with `district` replaced by its code (or removed), and a note on any mismatch. */
export function resolveMessageDistrict(message: StatusMessage): ResolvedDistrict {
  const { district: sent, location } = message;
  if (sent === undefined && location === undefined) return { message };
  const located = location === undefined ? null : (districtAt(location.lon, location.lat)?.code ?? null);
  if (sent === undefined) return { message: withDistrict(message, located) };
  const named = findDistrict(sent)?.code ?? null;
  const stored = named ?? located;
  const resolved = withDistrict(message, stored);
  const base = { deviceId: message.deviceId, sent, stored, located };
  if (named === null) return { message: resolved, note: { reason: 'unknown_name', ...base } };
  if (located !== null && located !== named) return { message: resolved, note: { reason: 'location_differs', ...base } };
  return { message: resolved };
}

/** null leaves the stored district as it was (the upsert keeps the old value when the new one is null). */
function withDistrict(message: StatusMessage, code: DistrictCode | null): StatusMessage {
  const { district: _sent, ...rest } = message;
  return code === null ? rest : { ...rest, district: code };
}
