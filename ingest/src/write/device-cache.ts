/**
 * What ingest remembers about devices between batches, so a batch of known devices costs no lookup:
 * registered devices (with their blocked flag and district) for ttlMs, and when each device's
 * last_seen_at was last written (rewritten at most every touchIntervalMs). Unknown devices are never
 * cached: their birth may come through another ingest worker.
 */
export interface KnownDevice {
  id: string;
  blocked: boolean;
  district: string | null;
}

export class DeviceCache {
  private readonly known = new Map<string, { device: KnownDevice; atMs: number }>();
  private readonly touched = new Map<string, number>();

  constructor(
    /** How long a looked-up device is trusted (a device blocked meanwhile is refused after at most this), ms. */
    private readonly ttlMs: number,
    /** Least time between two writes of one device's last_seen_at, ms. */
    private readonly touchIntervalMs: number,
  ) {}

  /** The cached device if fresh, else undefined (look it up). */
  get(id: string, nowMs: number): KnownDevice | undefined {
    const entry = this.known.get(id);
    if (entry === undefined || nowMs - entry.atMs > this.ttlMs) return undefined;
    return entry.device;
  }

  remember(device: KnownDevice, nowMs: number): void {
    this.known.set(device.id, { device, atMs: nowMs });
  }

  forget(id: string): void {
    this.known.delete(id);
  }

  /** Of these devices, the ones whose last_seen_at is due; marks them as written. */
  dueForTouch(ids: Iterable<string>, nowMs: number): string[] {
    const due: string[] = [];
    for (const id of ids) {
      const last = this.touched.get(id);
      if (last !== undefined && nowMs - last < this.touchIntervalMs) continue;
      this.touched.set(id, nowMs);
      due.push(id);
    }
    return due;
  }

  /** Keep the maps bounded: drop entries older than both intervals. */
  prune(nowMs: number): void {
    for (const [id, entry] of this.known) if (nowMs - entry.atMs > this.ttlMs) this.known.delete(id);
    for (const [id, at] of this.touched) if (nowMs - at > this.touchIntervalMs) this.touched.delete(id);
  }
}
