/**
 * PGlite is one PostgreSQL session. Everything that talks to it (the app's queries and transactions,
 * the wire-protocol client) takes this lock, and keeps it while its state lives in the session: an open
 * transaction, or an extended-protocol exchange not yet closed by Sync. Waiters are served in order.
 */
export class SessionLock {
  #holder: string | null = null;
  readonly #waiters: Array<{ owner: string; grant: () => void }> = [];

  get holder(): string | null {
    return this.#holder;
  }

  get waiting(): number {
    return this.#waiters.length;
  }

  /** Resolves when `owner` holds the lock (at once if it already does). */
  acquire(owner: string): Promise<void> {
    if (this.#holder === owner) return Promise.resolve();
    if (this.#holder === null) {
      this.#holder = owner;
      return Promise.resolve();
    }
    return new Promise((grant) => this.#waiters.push({ owner, grant }));
  }

  release(owner: string): void {
    if (this.#holder !== owner) return;
    const next = this.#waiters.shift();
    this.#holder = next ? next.owner : null;
    next?.grant();
  }

  /** Drop a waiter that gave up (a wire client that left while queued). */
  cancel(owner: string): void {
    const index = this.#waiters.findIndex((w) => w.owner === owner);
    if (index >= 0) this.#waiters.splice(index, 1);
  }

  async run<T>(owner: string, fn: () => Promise<T>): Promise<T> {
    await this.acquire(owner);
    try {
      return await fn();
    } finally {
      this.release(owner);
    }
  }
}
