/**
 * Reconnect-storm load for the identity bench, in its own process so the broker under test has its
 * event loop to itself. First line on stdin: JSON { url, logins: [{ clientId, username?, password? }] }
 * (2,000 logins are too long for an argument). Prints "ready", connects every client at once when it reads "go", prints {"ms": …} once all are connected
 * (or {"error": …} at the first refusal), then closes them and exits when stdin ends.
 */
import { createInterface } from 'node:readline';
import mqtt, { type MqttClient } from 'mqtt';

export interface StormArgs {
  url: string;
  logins: Array<{ clientId: string; username?: string; password?: string }>;
}

async function main(): Promise<void> {
  const lines = createInterface({ input: process.stdin });
  const clients: MqttClient[] = [];
  let args: StormArgs | undefined;
  for await (const line of lines) {
    if (args === undefined) {
      args = JSON.parse(line) as StormArgs;
      process.stdout.write('ready\n');
      continue;
    }
    if (line.trim() !== 'go') continue;
    const { url, logins } = args;
    const started = performance.now();
    try {
      await Promise.all(
        logins.map((login) => new Promise<void>((resolve, reject) => {
          const client = mqtt.connect(url, { ...login, protocolVersion: 4, clean: true, reconnectPeriod: 0, connectTimeout: 120_000, keepalive: 0 });
          clients.push(client);
          client.once('connect', () => resolve());
          client.once('error', reject);
        })),
      );
      process.stdout.write(`${JSON.stringify({ ms: performance.now() - started })}\n`);
    } catch (err) {
      process.stdout.write(`${JSON.stringify({ error: (err as Error).message })}\n`);
    }
    await Promise.all(clients.map((c) => c.endAsync(true)));
    break;
  }
  process.exit(0);
}

void main();
