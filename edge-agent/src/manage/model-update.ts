import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelChunk, ModelUpdate } from '@streetwise/protocol';

/** A model update that failed a check: the reason goes into the model_rejected event. */
export class ModelRejected extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** An Ed25519 public key from PEM, base64 SPKI DER, or base64 of the raw 32 bytes. */
export function parsePublicKey(text: string): KeyObject {
  const trimmed = text.trim();
  if (trimmed.startsWith('-----BEGIN')) return createPublicKey(trimmed);
  const der = Buffer.from(trimmed, 'base64');
  return createPublicKey({ key: der.byteLength === 32 ? Buffer.concat([ED25519_SPKI_PREFIX, der]) : der, format: 'der', type: 'spki' });
}

/** Size, sha256 and (when the device has a public key) the Ed25519 signature of the file. Throws ModelRejected. */
export function verifyModelBytes(bytes: Buffer, update: ModelUpdate, publicKey?: KeyObject): void {
  if (bytes.byteLength !== update.sizeBytes) throw new ModelRejected(`size ${bytes.byteLength} bytes, announced ${update.sizeBytes}`);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== update.sha256) throw new ModelRejected(`sha256 ${sha256.slice(0, 16)}… does not match the announced ${update.sha256.slice(0, 16)}…`);
  if (publicKey) {
    if (!update.signature) throw new ModelRejected('the device requires signed models and the update has no signature');
    let good: boolean;
    try {
      good = verify(null, bytes, publicKey, Buffer.from(update.signature, 'base64'));
    } catch {
      good = false;
    }
    if (!good) throw new ModelRejected('the Ed25519 signature does not match the file and the device key');
  }
}

/** Download a model from the city network (bounded size and time). */
export async function fetchModel(update: ModelUpdate, timeoutMs = 120_000): Promise<Buffer> {
  let res: Response;
  try {
    res = await fetch(update.url!, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw new ModelRejected(`download failed: ${(err as Error).message}`);
  }
  if (!res.ok || !res.body) throw new ModelRejected(`download failed: ${update.url} answered ${res.status}`);
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > update.sizeBytes) throw new ModelRejected(`download is larger than the announced ${update.sizeBytes} bytes`);
    parts.push(Buffer.from(chunk));
  }
  return Buffer.concat(parts);
}

/** Collects the chunks of model updates (by sha256) until one is complete. */
export class ChunkAssembler {
  private readonly pending = new Map<string, { count: number; parts: Map<number, Buffer>; bytes: number }>();

  /** Returns the whole file once the last chunk arrived. */
  add(update: ModelUpdate, chunk: ModelChunk): Buffer | undefined {
    let entry = this.pending.get(update.sha256);
    if (!entry || entry.count !== chunk.count) this.pending.set(update.sha256, (entry = { count: chunk.count, parts: new Map(), bytes: 0 }));
    if (!entry.parts.has(chunk.index)) {
      const part = Buffer.from(chunk.data, 'base64');
      entry.bytes += part.byteLength;
      if (entry.bytes > update.sizeBytes) {
        this.pending.delete(update.sha256);
        throw new ModelRejected(`chunks add up to more than the announced ${update.sizeBytes} bytes`);
      }
      entry.parts.set(chunk.index, part);
    }
    if (entry.parts.size < entry.count) return undefined;
    this.pending.delete(update.sha256);
    return Buffer.concat([...entry.parts.entries()].sort((a, b) => a[0] - b[0]).map(([, b]) => b));
  }

  get inProgress(): number {
    return this.pending.size;
  }
}

/** Write a verified model next to the others (temp file + rename, so a crash never leaves half a model). */
export async function storeModel(bytes: Buffer, update: ModelUpdate, modelDir: string): Promise<string> {
  await mkdir(modelDir, { recursive: true });
  const path = join(modelDir, `${update.name}-${update.version.replace(/[^A-Za-z0-9_.-]/g, '_')}-${update.sha256.slice(0, 12)}.onnx`);
  await writeFile(`${path}.tmp`, bytes);
  await rename(`${path}.tmp`, path);
  return path;
}
