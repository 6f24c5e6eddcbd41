import { describe, expect, it } from 'vitest';
import { comparisonTable, type DetectorComparison } from './detect-compare.js';

const row = (name: string, map50: number, photos: DetectorComparison['photos']): DetectorComparison => ({
  name,
  roles: name === 'a' ? ['simulated-scenes'] : [],
  layout: 'yolov8',
  scenes: { images: 40, map50, recall: 0.5, precision: Number.NaN, ap50: { person: 0.5, bicycle: Number.NaN, car: 1, motorcycle: 0, bus: 0.25, truck: 0.125 } },
  photos,
});

describe('comparisonTable', () => {
  it('a column per detector; the scenes, the AP per class, then a row per photo with the classes found in our order', () => {
    const table = comparisonTable([row('a', 0.8125, { 'x.jpg': { truck: 2, person: 1 }, 'y.jpg': {} }), row('b', 0.25, { 'x.jpg': { bus: 1 }, 'y.jpg': { car: 3 } })]);
    expect(table.split('\n')).toEqual([
      '| | `a` (simulated-scenes) | `b` |',
      '|---|---|---|',
      '| rendered held-out scenes (40): mAP@0.5; recall / precision at 0.35 | **0.813**; 0.500 / — | **0.250**; 0.500 / — |',
      '| AP@0.5 per class (person, bicycle, car, motorcycle, bus, truck) | 0.50, —, 1.00, 0.00, 0.25, 0.13 | 0.50, —, 1.00, 0.00, 0.25, 0.13 |',
      '| x.jpg | person 1, truck 2 | bus 1 |',
      '| y.jpg | — | car 3 |',
    ]);
  });
});
