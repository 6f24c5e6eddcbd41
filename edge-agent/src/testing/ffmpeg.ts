import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

/**
 * The ffmpeg binaries the RTSP source is tested with: the system's `ffmpeg` (the agent's runtime default)
 * when it is on PATH, and the static build inside the dev dependency @ffmpeg-installer/ffmpeg, so the test
 * also runs on a machine without ffmpeg. That package is for tests only: an old GPL build (2018), never the
 * agent's default.
 */
export function ffmpegBinariesForTests(): Array<{ name: string; path: string }> {
  const binaries: Array<{ name: string; path: string }> = [];
  const system = spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' });
  if (!system.error && system.status === 0) binaries.push({ name: 'system ffmpeg', path: 'ffmpeg' });
  const packaged = (createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path: string }).path;
  binaries.push({ name: '@ffmpeg-installer/ffmpeg', path: packaged });
  return binaries;
}
