import * as ort from 'onnxruntime-node';
import { SW_MODEL_LOAD_FAILED, SW_MODEL_SHAPE_MISMATCH } from './errors.js';
import { MANIFEST_PATH, readVerifiedModel, type ManifestEntry, type TensorSpec } from './manifest.js';

export interface VerifiedSession {
  session: ort.InferenceSession;
  entry: ManifestEntry;
}

function sameShape(actual: ReadonlyArray<number | string>, declared: ReadonlyArray<number | string>): boolean {
  // A dynamic axis (a string in either) matches any size.
  return actual.length === declared.length && actual.every((d, i) => typeof d === 'string' || typeof declared[i] === 'string' || d === declared[i]);
}

/** Check the session's inputs and outputs against the manifest (names, fixed sizes, float32). */
export function verifyShapes(session: ort.InferenceSession, entry: ManifestEntry): void {
  const check = (side: 'input' | 'output', metadata: readonly ort.InferenceSession.ValueMetadata[], declared: TensorSpec[]): void => {
    declared.forEach((spec, i) => {
      const meta = metadata.find((m) => m.name === spec.name) ?? metadata[i];
      const shape = meta && meta.isTensor ? meta.shape : [];
      const type = meta && meta.isTensor ? meta.type : 'none';
      if (!meta || meta.name !== spec.name || type !== spec.type || !sameShape(shape, spec.shape)) {
        throw SW_MODEL_SHAPE_MISMATCH([entry.name, side, spec.name, `${meta?.name ?? '(none)'} ${type} [${shape.join(', ')}]`, `[${spec.shape.join(', ')}]`]);
      }
    });
  };
  check('input', session.inputMetadata, entry.inputs);
  check('output', session.outputMetadata, entry.outputs);
}

/** Load a manifest model in onnxruntime-node after checking its hash, then its declared shapes. */
export async function openVerifiedSession(entry: ManifestEntry, manifestPath = MANIFEST_PATH, options: ort.InferenceSession.SessionOptions = {}): Promise<VerifiedSession> {
  const bytes = await readVerifiedModel(entry, manifestPath);
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1, ...options });
  } catch (err) {
    throw SW_MODEL_LOAD_FAILED([entry.name, (err as Error).message], { cause: err });
  }
  verifyShapes(session, entry);
  return { session, entry };
}
