/**
 * PGlite is one session, so a notification shows up in the reply of whatever command ran — not on
 * the connection that listened. The worker therefore strips NotificationResponse messages from wire
 * replies and delivers every notification (PGlite's onNotification) to the wire clients that asked
 * for its channel, as their own server would.
 */
export interface NotificationTarget {
  notify(channel: string, payload: string): void;
}

export class NotificationRouter {
  readonly #routes = new Map<string, Set<NotificationTarget>>();

  add(target: NotificationTarget, channel: string): void {
    let targets = this.#routes.get(channel);
    if (!targets) {
      targets = new Set();
      this.#routes.set(channel, targets);
    }
    targets.add(target);
  }

  /** Remove one channel, or every channel of the target ('*', as UNLISTEN * does). */
  remove(target: NotificationTarget, channel: string): void {
    for (const [name, targets] of this.#routes) {
      if (channel !== '*' && name !== channel) continue;
      targets.delete(target);
      if (targets.size === 0) this.#routes.delete(name);
    }
  }

  deliver(channel: string, payload: string): void {
    for (const target of this.#routes.get(channel) ?? []) target.notify(channel, payload);
  }

  channelsOf(target: NotificationTarget): string[] {
    return [...this.#routes].filter(([, targets]) => targets.has(target)).map(([name]) => name);
  }
}

const IDENT = String.raw`("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*|\*)`;
const LISTEN_PATTERN = new RegExp(String.raw`^\s*(LISTEN|UNLISTEN)\s+${IDENT}\s*;?\s*$`, 'i');

/** Recognise a lone `LISTEN x` / `UNLISTEN x` / `UNLISTEN *` simple query; null for anything else. */
export function parseListenCommand(sql: string): { listen: boolean; channel: string } | null {
  const match = LISTEN_PATTERN.exec(sql);
  if (!match || !match[1] || !match[2]) return null;
  const listen = match[1].toUpperCase() === 'LISTEN';
  const raw = match[2];
  if (raw === '*' && listen) return null;
  const channel = raw.startsWith('"') ? raw.slice(1, -1).replace(/""/g, '"') : raw === '*' ? '*' : raw.toLowerCase();
  return { listen, channel };
}
