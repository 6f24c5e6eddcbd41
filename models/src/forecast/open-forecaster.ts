import { ForecasterRuntime } from '@streetwise/inference';
import { findModel, loadManifest, MANIFEST_PATH } from '../manifest.js';
import { openVerifiedSession } from '../session.js';

/**
 * The traffic forecaster listed in the manifest (hash and shapes checked), on @streetwise/inference's
 * runtime. Throws SW_MODEL_* when the model is absent or not the file the manifest names.
 */
export async function openForecaster(options: { manifestPath?: string; utcOffsetHours?: number } = {}): Promise<ForecasterRuntime> {
  const path = options.manifestPath ?? MANIFEST_PATH;
  const entry = findModel(loadManifest(path), 'forecaster', path);
  const { session } = await openVerifiedSession(entry, path);
  return ForecasterRuntime.fromSession(session, { version: entry.version, ...(options.utcOffsetHours === undefined ? {} : { utcOffsetHours: options.utcOffsetHours }) });
}
