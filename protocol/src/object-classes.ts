/** The object classes of protocol v1: what detectors report and counts are kept for. */
export const OBJECT_CLASSES = ['person', 'bicycle', 'car', 'motorcycle', 'bus', 'truck'] as const;
export type ObjectClass = (typeof OBJECT_CLASSES)[number];
