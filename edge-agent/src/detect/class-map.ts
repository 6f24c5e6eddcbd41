import type { ObjectClass } from '@streetwise/protocol';

/** COCO ids of the classes we report, for exports without class names (Ultralytics COCO models). */
export const COCO_CLASS_IDS: ReadonlyArray<[number, ObjectClass]> = [
  [0, 'person'],
  [1, 'bicycle'],
  [2, 'car'],
  [3, 'motorcycle'],
  [5, 'bus'],
  [7, 'truck'],
];

const ALIASES: Record<string, ObjectClass> = {
  person: 'person',
  pedestrian: 'person',
  people: 'person',
  bicycle: 'bicycle',
  bike: 'bicycle',
  car: 'car',
  motorcycle: 'motorcycle',
  motorbike: 'motorcycle',
  bus: 'bus',
  truck: 'truck',
  lorry: 'truck',
};

/**
 * Model class id → our class. From the model's (or manifest's) names when known: each name is matched to
 * ours (unknown names, e.g. 'dog', are not reported); otherwise the COCO ids.
 */
export function resolveClassMap(names: ReadonlyMap<number, string> | undefined): Map<number, ObjectClass> {
  if (!names || names.size === 0) return new Map(COCO_CLASS_IDS);
  const map = new Map<number, ObjectClass>();
  for (const [id, name] of names) {
    const ours = ALIASES[name.trim().toLowerCase()];
    if (ours) map.set(id, ours);
  }
  return map;
}
