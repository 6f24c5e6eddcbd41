import sharp from 'sharp';

/**
 * Process-wide settings for a small CPU: libvips works one thread per image (the other core(s) run
 * inference) and keeps no operation cache (frames never repeat).
 */
export function tuneForSmallCpu(): void {
  sharp.concurrency(1);
  sharp.cache(false);
}
