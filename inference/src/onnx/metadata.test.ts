import { describe, expect, it } from 'vitest';
import { parseClassNames, parseYoloMetadata } from './metadata.js';

describe('metadata', () => {
  it('parses the Python-dict names Ultralytics writes', () => {
    const names = parseClassNames("{0: 'person', 1: 'bicycle', 2: \"it's\", 3: 'motorcycle', 10: 'fire hydrant'}");
    expect([...names!]).toEqual([[0, 'person'], [1, 'bicycle'], [2, "it's"], [3, 'motorcycle'], [10, 'fire hydrant']]);
    expect([...parseClassNames('["car","bus"]')!]).toEqual([[0, 'car'], [1, 'bus']]);
    expect(parseClassNames('nonsense')).toBeUndefined();
  });

  it('reads imgsz, end2end and version', () => {
    expect(parseYoloMetadata({ imgsz: '[320, 416]', end2end: 'True', version: '8.3.0', task: 'detect' })).toEqual({ imgsz: [320, 416], end2end: true, version: '8.3.0', task: 'detect' });
  });
});
