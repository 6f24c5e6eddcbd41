import type { CameraConfig } from '../config/schema.js';
import { SW_EDGE_SOURCE } from '../errors.js';
import { createHttpSnapshotSource } from '../sources/http-snapshot.js';
import { createImageFolderSource } from '../sources/image-folder.js';
import { createMjpegSource } from '../sources/mjpeg.js';
import { createFfmpegSource } from '../sources/rtsp-ffmpeg.js';
import type { FrameSource } from '../sources/types.js';

/** The frame source a camera's config names; `synthetic` cameras take theirs from the caller (simulators). */
export function buildSource(name: string, camera: CameraConfig, synthetic?: () => FrameSource): FrameSource {
  const s = camera.source;
  switch (s.kind) {
    case 'images':
      return createImageFolderSource({ path: s.path!, fps: s.fps, loop: s.loop });
    case 'snapshot':
      return createHttpSnapshotSource({ url: s.url!, fps: s.fps });
    case 'mjpeg':
      return createMjpegSource({ url: s.url!, maxFps: s.fps });
    case 'rtsp':
      // Raw RGB at the configured frame size: no JPEG decoding in the agent, and frames match the lines' coordinates.
      return createFfmpegSource({ url: s.url!, fps: s.fps, ffmpegPath: s.ffmpegPath, output: 'raw', rawSize: camera.frame });
    case 'synthetic':
      if (!synthetic) throw SW_EDGE_SOURCE([name, 'a synthetic camera needs a source from the program that runs the agent (sources option)']);
      return synthetic();
  }
}
