
/** A unique, MQTT-safe name for this run: topics and client ids of parallel runs never collide. */
export function runId(label: string): string {
  return `${label}${Date.now().toString(36)}${Math.floor(Math.random() * 36 ** 4).toString(36)}`;
}
