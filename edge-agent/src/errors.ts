/**
 * Stable error codes of the edge agent (SW_EDGE_*). Every code is documented in docs/errors.md
 * (the catalogue test in tests/integration keeps the two in step).
 */
import { createError, type ErrorFactory } from '@streetwise/errors';

export const SW_EDGE_OUTBOX_DIR = createError(
  'SW_EDGE_OUTBOX_DIR',
  'cannot open the outbox directory %s: %s. Check that the path exists or can be created and is writable by the agent',
);
export const SW_EDGE_OUTBOX_CLOSED = createError('SW_EDGE_OUTBOX_CLOSED', 'the outbox at %s is closed; open a new store');
export const SW_EDGE_OUTBOX_RECORD_TOO_LARGE = createError(
  'SW_EDGE_OUTBOX_RECORD_TOO_LARGE',
  'a message of %s bytes does not fit in an outbox of %s bytes; raise outbox.maxBytes or send smaller messages (snapshots off)',
);
export const SW_EDGE_MESSAGE_INVALID = createError(
  'SW_EDGE_MESSAGE_INVALID',
  'the agent built an invalid %s message: %s. This is a bug in the caller: fix the fields named',
);
export const SW_EDGE_PUBLISHER_STATE = createError('SW_EDGE_PUBLISHER_STATE', 'publisher for %s: %s');
export const SW_EDGE_MODEL_LOAD = createError(
  'SW_EDGE_MODEL_LOAD',
  'cannot load the model %s: %s. Check that the file is a complete ONNX export (opset ≤ 21) with one image input [1, 3, H, W]',
);
export const SW_EDGE_SOURCE = createError('SW_EDGE_SOURCE', 'camera source %s failed: %s. Check the path or URL, the network, and the camera');
export const SW_EDGE_FFMPEG_MISSING = createError(
  'SW_EDGE_FFMPEG_MISSING',
  'RTSP needs ffmpeg, but "%s" cannot be run (%s). Install it (Debian: apt-get install ffmpeg) or set ffmpegPath in the camera config; or use an HTTP snapshot or MJPEG URL instead',
);
export const SW_EDGE_CONFIG_INVALID = createError('SW_EDGE_CONFIG_INVALID', 'the configuration in %s is invalid:\n%s');
export const SW_EDGE_CREDENTIAL_FILE = createError('SW_EDGE_CREDENTIAL_FILE', 'cannot read %s %s: %s. Check the path and that the agent\'s user may read it');

/** Every factory above, for the documentation test. */
export const EDGE_ERRORS: readonly ErrorFactory[] = [
  SW_EDGE_OUTBOX_DIR,
  SW_EDGE_OUTBOX_CLOSED,
  SW_EDGE_OUTBOX_RECORD_TOO_LARGE,
  SW_EDGE_MESSAGE_INVALID,
  SW_EDGE_PUBLISHER_STATE,
  SW_EDGE_MODEL_LOAD,
  SW_EDGE_SOURCE,
  SW_EDGE_FFMPEG_MISSING,
  SW_EDGE_CONFIG_INVALID,
  SW_EDGE_CREDENTIAL_FILE,
];
