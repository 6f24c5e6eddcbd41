/**
 * Reading the console's `devices:diff` (v2) in tests: whole features and the columns of live codes, as one
 * list of devices with the properties the message gave them.
 */
export interface WholeFeature {
  id: string;
  geometry?: { type: 'Point'; coordinates: number[] };
  properties: { state: string; stateReason: string | null; keySite: boolean; severity: string | null } & Record<string, unknown>;
}

export interface DevicesDiffV2 {
  v: 2;
  at: string;
  upsert: WholeFeature[];
  live: { ids: string[]; state: number[]; stateReason: number[]; severity: number[] };
  codes: { state: string[]; stateReason: Array<string | null>; severity: Array<string | null> };
  remove: string[];
}

/** A device a diff changed: `whole` when its feature was sent whole (keySite and the rest are then known). */
export interface DiffDevice {
  id: string;
  whole: boolean;
  properties: { state: string; stateReason: string | null; severity: string | null; keySite?: boolean } & Record<string, unknown>;
}

export function devicesIn(diff: DevicesDiffV2): DiffDevice[] {
  const { live, codes } = diff;
  return [
    ...diff.upsert.map((f) => ({ id: f.id, whole: true, properties: f.properties })),
    ...live.ids.map((id, i) => ({
      id,
      whole: false,
      properties: { state: codes.state[live.state[i]!]!, stateReason: codes.stateReason[live.stateReason[i]!] ?? null, severity: codes.severity[live.severity[i]!] ?? null },
    })),
  ];
}
