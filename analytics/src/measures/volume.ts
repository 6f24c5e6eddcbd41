/**
 * Traffic volume by class: objects counted in the bucket (Σ count_<class> of every reading). Motor
 * vehicles are cars, motorcycles, buses and trucks; bicycles and people are reported on their own.
 *
 * A reading's motor vehicles are its class counts when it has any class count, else its `volume` (a loop
 * detector of the Transport Department's feed counts vehicles over its valid lanes without classes). So
 * with no class filter, `unclassified` is Σ volume of the readings without class counts, and
 * `motorVehicles` = Σ car + motorcycle + bus + truck + unclassified. A class filter asks for classes a
 * classless reading cannot be split into: then neither reports it.
 */
import { OBJECT_CLASSES, type ObjectClass } from '@streetwise/protocol';
import type { TelemetryField, TelemetrySums } from '../query/telemetry-fields.js';
import { countOf, type TelemetryMeasure } from './telemetry-measure.js';

export const MOTOR_VEHICLE_CLASSES: readonly ObjectClass[] = ['car', 'motorcycle', 'bus', 'truck'];

/** The fields motorVehiclesOf reads. */
export const MOTOR_VEHICLE_FIELDS: readonly TelemetryField[] = [...MOTOR_VEHICLE_CLASSES.map((c) => `count_${c}` as TelemetryField), 'volume'];

/** Motor vehicles of summed readings: motor class counts plus the volume of readings without classes. */
export function motorVehiclesOf(sums: Partial<TelemetrySums>): number {
  return MOTOR_VEHICLE_FIELDS.reduce((total, field) => total + countOf(sums[field]), 0);
}

/** The same sum in SQL, over a row of summed fields (an aggregate's or a series') named `alias`. */
export function motorVehiclesSql(alias: string): string {
  return `(${MOTOR_VEHICLE_FIELDS.map((f) => `coalesce(${alias}.${f}, 0)`).join(' + ')})`;
}

export interface VolumeOptions {
  /** Classes to report; all six when empty. */
  classes?: readonly ObjectClass[] | undefined;
}

export type Volume = Partial<Record<ObjectClass, number>> & { unclassified?: number; motorVehicles: number };

export function volumeClasses(options: VolumeOptions): readonly ObjectClass[] {
  return options.classes && options.classes.length > 0 ? OBJECT_CLASSES.filter((c) => options.classes?.includes(c)) : OBJECT_CLASSES;
}

const allClasses = (options: VolumeOptions): boolean => !options.classes || options.classes.length === 0;

function volumeFields(options: VolumeOptions): TelemetryField[] {
  const fields = volumeClasses(options).map((c) => `count_${c}` as TelemetryField);
  return allClasses(options) ? [...fields, 'volume'] : fields;
}

export const volumeMeasure: TelemetryMeasure<VolumeOptions, Volume> = {
  name: 'volume',
  fields: volumeFields,
  presentWhen: volumeFields,
  derive(sums, options) {
    const byClass: Partial<Record<ObjectClass, number>> = {};
    let motorVehicles = 0;
    for (const c of volumeClasses(options)) {
      const n = countOf(sums[`count_${c}` as TelemetryField]);
      byClass[c] = n;
      if (MOTOR_VEHICLE_CLASSES.includes(c)) motorVehicles += n;
    }
    if (!allClasses(options)) return { ...byClass, motorVehicles };
    const unclassified = countOf(sums.volume);
    return { ...byClass, unclassified, motorVehicles: motorVehicles + unclassified };
  },
};
