import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/**
 * Write a tiny ONNX model whose single output is a fixed tensor (a Constant node), with an image input
 * [1, 3, H, W] the graph does not use. Tests compute the right detections from that tensor by hand.
 */
export function buildConstantModel(options: {
  inputWidth: number;
  inputHeight: number;
  outputDims: number[];
  outputData: Float32Array | number[];
  metadata?: Record<string, string>;
  inputName?: string;
  outputName?: string;
  /** Input shape; default [1, 3, inputHeight, inputWidth]. */
  inputDims?: number[];
  /** Declare these axes of the output (and of the input) as dynamic, as exports with `dynamic=True` do. */
  dynamicAxes?: { input?: number[]; output?: number[] };
}): Uint8Array {
  const floatType = onnx.TensorProto.DataType.FLOAT;
  const data = Float32Array.from(options.outputData);
  const expected = options.outputDims.reduce((a, b) => a * b, 1);
  if (data.length !== expected) throw new Error(`output data has ${data.length} values, dims need ${expected}`);
  const valueInfo = (name: string, dims: number[], dynamic: number[] = []) => ({
    name,
    type: { tensorType: { elemType: floatType, shape: { dim: dims.map((d, i) => (dynamic.includes(i) ? { dimParam: `d${i}` } : { dimValue: d })) } } },
  });
  const outputName = options.outputName ?? 'output0';
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'streetwise-test',
    opsetImport: [{ domain: '', version: 17 }],
    metadataProps: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
    graph: {
      name: 'constant',
      node: [
        {
          opType: 'Constant',
          output: [outputName],
          attribute: [
            {
              name: 'value',
              type: onnx.AttributeProto.AttributeType.TENSOR,
              t: { dims: options.outputDims, dataType: floatType, rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) },
            },
          ],
        },
      ],
      input: [valueInfo(options.inputName ?? 'images', options.inputDims ?? [1, 3, options.inputHeight, options.inputWidth], options.dynamicAxes?.input)],
      output: [valueInfo(outputName, options.outputDims, options.dynamicAxes?.output)],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

/** YOLOv8 layout [1, 4+nc, N] from per-anchor rows [cx, cy, w, h, score0, score1, …]. */
export function yolov8Output(rows: number[][]): { dims: number[]; data: Float32Array } {
  const channels = rows[0]!.length;
  const n = rows.length;
  const data = new Float32Array(channels * n);
  rows.forEach((row, i) => row.forEach((v, c) => (data[c * n + i] = v)));
  return { dims: [1, channels, n], data };
}

/**
 * A real (if crude) detector as an ONNX graph, for pipeline tests on rendered frames with known ground truth:
 * class 0 ("car") responds to red, class 1 ("person") to blue. A 1×1 convolution scores redness
 * (R − (G+B)/2) and blueness per pixel, 8×8 average pooling gives one cell per anchor on a 40×40 grid
 * (stride 8, 320×320 input), a sigmoid turns it into a score that passes 0.5 when more than half the cell is
 * coloured. Boxes are fixed 40×40 squares centred on the cells. Output: YOLOv8 layout [1, 6, 1600].
 */
export function buildColourBlobModel(): Uint8Array {
  const f = onnx.TensorProto.DataType.FLOAT;
  const i64 = onnx.TensorProto.DataType.INT64;
  const floats = (name: string, dims: number[], values: number[]) => {
    const data = Float32Array.from(values);
    return { name, dims, dataType: f, rawData: new Uint8Array(data.buffer) };
  };
  const grid = 40;
  const n = grid * grid;
  const boxes = new Array<number>(4 * n);
  for (let i = 0; i < grid; i++) {
    for (let j = 0; j < grid; j++) {
      const k = i * grid + j;
      boxes[k] = (j + 0.5) * 8;
      boxes[n + k] = (i + 0.5) * 8;
      boxes[2 * n + k] = 40;
      boxes[3 * n + k] = 40;
    }
  }
  const gain = 40; // sigmoid(40 · (coverage − 0.5))
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'streetwise-test',
    opsetImport: [{ domain: '', version: 17 }],
    metadataProps: [{ key: 'names', value: "{0: 'car', 1: 'person'}" }, { key: 'version', value: 'colour-blob' }],
    graph: {
      name: 'colour-blob',
      initializer: [
        floats('w', [2, 3, 1, 1], [gain, -gain / 2, -gain / 2, -gain / 2, -gain / 2, gain]),
        floats('b', [2], [-gain / 2, -gain / 2]),
        floats('boxes', [1, 4, n], boxes),
        { name: 'shape', dims: [3], dataType: i64, int64Data: [1, 2, n] },
      ],
      node: [
        { opType: 'Conv', input: ['images', 'w', 'b'], output: ['colour'] },
        { opType: 'AveragePool', input: ['colour'], output: ['pooled'], attribute: [{ name: 'kernel_shape', type: onnx.AttributeProto.AttributeType.INTS, ints: [8, 8] }, { name: 'strides', type: onnx.AttributeProto.AttributeType.INTS, ints: [8, 8] }] },
        { opType: 'Sigmoid', input: ['pooled'], output: ['scores2d'] },
        { opType: 'Reshape', input: ['scores2d', 'shape'], output: ['scores'] },
        { opType: 'Concat', input: ['boxes', 'scores'], output: ['output0'], attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 1 }] },
      ],
      input: [{ name: 'images', type: { tensorType: { elemType: f, shape: { dim: [1, 3, 320, 320].map((d) => ({ dimValue: d })) } } } }],
      output: [{ name: 'output0', type: { tensorType: { elemType: f, shape: { dim: [1, 6, n].map((d) => ({ dimValue: d })) } } } }],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

/**
 * A model whose output length follows its input size, as a `dynamic=True` export's does: input
 * [1, 3, H, W] with H and W dynamic, output [1, 5, H·W] (the three planes flattened, then the first two again),
 * so onnxruntime cannot know the output shape before a run. Output in the YOLOv8 layout with one class.
 */
export function buildDynamicModel(metadata: Record<string, string> = {}): Uint8Array {
  const f = onnx.TensorProto.DataType.FLOAT;
  const i64 = onnx.TensorProto.DataType.INT64;
  const dims = (names: Array<number | string>) => ({ dim: names.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'streetwise-test',
    opsetImport: [{ domain: '', version: 17 }],
    metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
    graph: {
      name: 'dynamic',
      initializer: [
        { name: 'shape', dims: [3], dataType: i64, int64Data: [1, 3, -1] },
        { name: 'starts', dims: [1], dataType: i64, int64Data: [0] },
        { name: 'ends', dims: [1], dataType: i64, int64Data: [2] },
        { name: 'axes', dims: [1], dataType: i64, int64Data: [1] },
      ],
      node: [
        { opType: 'Reshape', input: ['images', 'shape'], output: ['planes'] },
        { opType: 'Slice', input: ['planes', 'starts', 'ends', 'axes'], output: ['firstTwo'] },
        { opType: 'Concat', input: ['planes', 'firstTwo'], output: ['output0'], attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 1 }] },
      ],
      input: [{ name: 'images', type: { tensorType: { elemType: f, shape: dims([1, 3, 'height', 'width']) } } }],
      output: [{ name: 'output0', type: { tensorType: { elemType: f, shape: dims([1, 5, 'anchors']) } } }],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
