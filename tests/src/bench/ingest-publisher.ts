/**
 * Load generator for the ingest bench, run as its own process so the broker and ingest under test
 * have the event loop to themselves. Argument: JSON { url, prefix, devices, count, connections }.
 * Prints "ready" once connected with every payload prepared, publishes everything at QoS 1 when it
 * reads "go" on stdin, prints {"ms": …, "cpuMs": …} (its CPU time while publishing) when the last PUBACK arrived, and exits when stdin ends.
 */
import { createInterface } from 'node:readline';
import mqtt, { type MqttClient } from 'mqtt';
import { deviceTopic, encodeMessage, makeMessage } from '@streetwise/protocol';

export interface PublisherArgs {
  url: string;
  prefix: string;
  devices: string[];
  count: number;
  /** Publisher connections (client ids bench-pub-<k>: the bench trusts them as gateways on aedes). */
  connections: number;
}

const cpuMs = (usage: NodeJS.CpuUsage): number => (usage.user + usage.system) / 1000;

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as PublisherArgs;
  const nowMs = Date.now();
  const messages = Array.from({ length: args.count }, (_, i) => {
    const deviceId = args.devices[i % args.devices.length]!;
    const safety = process.env.BENCH_SAFETY_EVERY ? i % Number(process.env.BENCH_SAFETY_EVERY) === 0 : i % 100 === 99; // 1% safety events: the rule engine works too
    const message = makeMessage('event', {
      deviceId,
      type: safety ? 'intrusion' : 'line_crossing',
      severity: safety ? 'high' : 'info',
      class: 'car',
      trackId: i,
      confidence: 0.9,
      location: { lat: 22.3 + (i % 7) / 1000, lon: 114.17 },
      rule: 'stop-line',
      direction: 'in',
      speedKmh: 30 + (i % 40),
    }, nowMs - (args.count - i));
    return { topic: deviceTopic(deviceId, 'event', args.prefix), payload: encodeMessage(message) };
  });
  const clients: MqttClient[] = [];
  for (let k = 0; k < args.connections; k++) {
    const client = mqtt.connect(args.url, { clientId: `bench-pub-${k}`, protocolVersion: 4, clean: true, reconnectPeriod: 0, keepalive: 300 });
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    });
    clients.push(client);
  }
  process.stdout.write('ready\n');
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (line !== 'go') continue;
    const started = performance.now();
    const cpu = process.cpuUsage();
    await Promise.all(messages.map((m, i) => clients[i % clients.length]!.publishAsync(m.topic, m.payload, { qos: 1 })));
    process.stdout.write(`${JSON.stringify({ ms: performance.now() - started, cpuMs: cpuMs(process.cpuUsage(cpu)) })}\n`);
  }
  await Promise.all(clients.map((c) => c.endAsync()));
}

main().catch((err: unknown) => {
  process.stderr.write(`${String((err as Error).stack ?? err)}\n`);
  process.exit(1);
});
