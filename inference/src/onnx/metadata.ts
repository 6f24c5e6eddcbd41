import onnxProto from 'onnx-proto';
import { OUTPUT_LAYOUTS, type OutputLayout } from '../detect/output-layout.js';

const { onnx } = onnxProto;

/** The model's metadata_props (onnxruntime-node does not expose them): key → value. */
export function readOnnxMetadata(modelBytes: Uint8Array): Record<string, string> {
  const model = onnx.ModelProto.decode(modelBytes);
  const out: Record<string, string> = {};
  for (const prop of model.metadataProps ?? []) if (prop.key) out[prop.key] = prop.value ?? '';
  return out;
}

/**
 * Parse the Python-dict-style `names` Ultralytics writes, e.g. `{0: 'person', 1: "it's", 2: 'car'}`.
 * Also accepts JSON (`{"0": "person"}`) and a JSON list (`["person", …]`). Returns undefined if unreadable.
 */
export function parseClassNames(text: string): Map<number, string> | undefined {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    try {
      const list = JSON.parse(trimmed) as unknown;
      if (Array.isArray(list) && list.every((n) => typeof n === 'string')) return new Map(list.map((n, i) => [i, n]));
    } catch {
      return undefined;
    }
    return undefined;
  }
  const names = new Map<number, string>();
  const entry = /["']?(\d+)["']?\s*:\s*('((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")/g;
  for (const m of trimmed.matchAll(entry)) {
    const raw = m[3] ?? m[4] ?? '';
    names.set(Number(m[1]), raw.replace(/\\(.)/g, '$1'));
  }
  return names.size > 0 ? names : undefined;
}

/** What a YOLO export says about itself (Ultralytics keys), parsed. */
export interface YoloMetadata {
  names?: Map<number, string>;
  /** [height, width] */
  imgsz?: [number, number];
  end2end?: boolean;
  /** `output_layout` (ours, not Ultralytics'): names the layout where the shape cannot tell it, e.g. `yolox`. */
  layout?: OutputLayout;
  task?: string;
  version?: string;
}

export function parseYoloMetadata(props: Record<string, string>): YoloMetadata {
  const meta: YoloMetadata = {};
  if (props.names) meta.names = parseClassNames(props.names);
  if (props.imgsz) {
    const nums = props.imgsz.match(/\d+/g)?.map(Number) ?? [];
    if (nums.length === 1) meta.imgsz = [nums[0]!, nums[0]!];
    else if (nums.length >= 2) meta.imgsz = [nums[0]!, nums[1]!];
  }
  if (props.end2end !== undefined) meta.end2end = /^(true|1)$/i.test(props.end2end.trim());
  const layout = props.output_layout?.trim() as OutputLayout | undefined;
  if (layout !== undefined && OUTPUT_LAYOUTS.includes(layout)) meta.layout = layout;
  if (props.task) meta.task = props.task;
  if (props.version) meta.version = props.version;
  return meta;
}
