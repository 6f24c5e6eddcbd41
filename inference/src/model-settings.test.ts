import { describe, expect, it } from 'vitest';
import { resolveModelSettings, ULTRALYTICS_INPUT, verifyModelSettings, type ModelSettings } from './model-settings.js';

const facts = { inputShape: [1, 3, 320, 416], outputShape: [1, 10, 2100], metadata: {}, classCount: 6 };

describe('model settings', () => {
  it('are told from the graph: input size from the input shape, layout from the output shape, Ultralytics preprocessing', () => {
    expect(resolveModelSettings(facts)).toEqual({ input: { ...ULTRALYTICS_INPUT, width: 416, height: 320 }, output: { layout: 'yolov8' } });
  });

  it('take the input size from imgsz metadata ([height, width]) when the graph leaves it dynamic, else 640', () => {
    expect(resolveModelSettings({ ...facts, inputShape: [1, 3, 'h', 'w'], metadata: { imgsz: [256, 320] } }).input).toMatchObject({ width: 320, height: 256 });
    expect(resolveModelSettings({ ...facts, inputShape: [] }).input).toMatchObject({ width: 640, height: 640 });
  });

  it('read end2end from the metadata', () => {
    expect(resolveModelSettings({ ...facts, outputShape: [1, 300, 6], metadata: { end2end: true } }).output.layout).toBe('end2end');
  });

  it('let every field be overridden', () => {
    const yolox = { channelOrder: 'bgr', pixelRange: '0-255', placement: 'top-left', padValue: 114 } as const;
    const s = resolveModelSettings({ ...facts, outputShape: [1, 2100, 11] }, { input: yolox, output: { layout: 'yolov5' } });
    expect(s).toEqual({ input: { ...ULTRALYTICS_INPUT, ...yolox, width: 416, height: 320 }, output: { layout: 'yolov5' } });
    // An override left undefined keeps what the graph told.
    expect(resolveModelSettings(facts, { input: { width: undefined, channelOrder: undefined }, output: { layout: undefined } })).toEqual(resolveModelSettings(facts));
  });

  it('name the field, the value and what is expected when one is out of bounds', () => {
    const good: ModelSettings = resolveModelSettings(facts);
    const cases: Array<[Partial<ModelSettings['input']>, RegExp]> = [
      [{ std: [1, 0, 1] }, /input -> std \| \[1,0,1\] \| three positive numbers/],
      [{ mean: [0, 0] as unknown as [number, number, number] }, /input -> mean \| \[0,0\] \| three finite numbers/],
      [{ padValue: 300 }, /input -> padValue \| 300 \| a pixel byte/],
      [{ channelOrder: 'rgba' as 'rgb' }, /input -> channelOrder \| "rgba" \| rgb or bgr/],
      [{ pixelRange: '0-65535' as '0-1' }, /input -> pixelRange/],
      [{ placement: 'bottom' as 'centre' }, /input -> placement/],
    ];
    for (const [input, message] of cases) {
      expect(() => verifyModelSettings({ ...good, input: { ...good.input, ...input } })).toThrow(expect.objectContaining({ code: 'SW_INFERENCE_SETTINGS_INVALID', message: expect.stringMatching(message) }));
    }
    expect(() => verifyModelSettings({ ...good, output: { layout: 'yolov3' as 'yolov8' } })).toThrow(/output -> layout \| "yolov3" \| yolov8, yolov5, end2end, yolox/);
    expect(() => resolveModelSettings({ ...facts, inputShape: [1, 3, 'h', 'w'] }, { input: { width: 0 } })).toThrow(/input -> width \| 0 \| an integer/);
  });
});
