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
}): Uint8Array {
  const floatType = onnx.TensorProto.DataType.FLOAT;
  const data = Float32Array.from(options.outputData);
  const expected = options.outputDims.reduce((a, b) => a * b, 1);
  if (data.length !== expected) throw new Error(`output data has ${data.length} values, dims need ${expected}`);
  const valueInfo = (name: string, dims: number[]) => ({
    name,
    type: { tensorType: { elemType: floatType, shape: { dim: dims.map((d) => ({ dimValue: d })) } } },
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
      input: [valueInfo(options.inputName ?? 'images', options.inputDims ?? [1, 3, options.inputHeight, options.inputWidth])],
      output: [valueInfo(outputName, options.outputDims)],
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
