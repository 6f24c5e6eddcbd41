/** Wait until `condition` holds, checking every `intervalMs`; reject with `what` after timeoutMs. No fixed sleeps. */
export async function waitFor<T>(
  what: string,
  condition: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 30_000,
  intervalMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** A unique, MQTT-safe name for this run: topics and client ids of parallel runs never collide. */
export function runId(label: string): string {
  return `${label}${Date.now().toString(36)}${Math.floor(Math.random() * 36 ** 4).toString(36)}`;
}
