import { describe, expect, it } from 'vitest';
import { resolveClassMap } from './class-map.js';

describe('class map', () => {
  it('maps names to our classes, else COCO ids', () => {
    expect([...resolveClassMap(new Map([[0, 'Car'], [1, 'dog'], [2, 'Pedestrian'], [3, 'motorbike']]))]).toEqual([[0, 'car'], [2, 'person'], [3, 'motorcycle']]);
    expect([...resolveClassMap(undefined)]).toEqual([[0, 'person'], [1, 'bicycle'], [2, 'car'], [3, 'motorcycle'], [5, 'bus'], [7, 'truck']]);
  });
});
