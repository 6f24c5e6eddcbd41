/**
 * A paced load generator, run as its own process (the e2e bench and the soak): publishes events at a steady
 * rate for a while over several gateway connections, each message from one of many device ids, stamped with
 * the time it is published (the message's `ts`, so a receiver anywhere on this machine can time it).
 * Argument: JSON LoadArgs. Prints "ready" once connected, starts on "go" from stdin, prints one JSON line
 * {published, acked, seconds, cpuMs} when done (or on "stop" from stdin), then exits when stdin ends.
 */
import { createInterface } from 'node:readline';
import mqtt, { type MqttClient } from 'mqtt';
import { deviceTopic, encodeMessage, makeMessage } from '@streetwise/protocol';

export interface LoadArgs {
  url: string;
  prefix: string;
  /** Gateway logins (client id = username); their scope covers every device id. */
  gateways: Array<{ username: string; password: string }>;
  devices: string[];
  ratePerS: number;
  /** 0: until "stop" arrives on stdin. */
  seconds: number;
  /** Every n-th event is a safety event (intrusion, high); the others are info line crossings. */
  safetyEvery: number;
}

export interface LoadResult {
  published: number;
  acked: number;
  /** Publishing time (the pacing ran this long). */
  seconds: number;
  /** Until the last PUBACK: ingest acks once the row is committed, so acked / ackedSeconds is what got through. */
  ackedSeconds: number;
  cpuMs: number;
}

/** The publisher's pacing step: small enough that a burst is at most 1/50 s of the rate. */
const TICK_MS = 20;
/** Beyond this many unacked messages the publisher waits (the broker or ingest is behind): no unbounded queue. */
const MAX_IN_FLIGHT = 20_000;

function eventPayload(args: LoadArgs, i: number): { topic: string; payload: Buffer } {
  const deviceId = args.devices[i % args.devices.length]!;
  const safety = i % args.safetyEvery === 0;
  const message = makeMessage('event', {
    deviceId,
    type: safety ? 'intrusion' : 'line_crossing',
    severity: safety ? 'high' : 'info',
    class: safety ? 'person' : 'car',
    trackId: i % 1_000_000,
    confidence: 0.9,
    location: { lat: 22.3 + (i % 7) / 1000, lon: 114.17 + (i % 11) / 1000 },
    ...(safety ? {} : { rule: 'stop-line', direction: 'in' as const, speedKmh: 30 + (i % 40) }),
  });
  return { topic: deviceTopic(deviceId, 'event', args.prefix), payload: encodeMessage(message) };
}

async function connect(args: LoadArgs, login: LoadArgs['gateways'][number]): Promise<MqttClient> {
  const client = mqtt.connect(args.url, { clientId: login.username, username: login.username, password: login.password, protocolVersion: 4, clean: true, reconnectPeriod: 0, keepalive: 300 });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  return client;
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as LoadArgs;
  const clients = await Promise.all(args.gateways.map((g) => connect(args, g)));
  process.stdout.write('ready\n');
  let stopAsked = false;
  let go: () => void = () => {};
  const started = new Promise<void>((resolve) => (go = resolve));
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    if (line === 'go') go();
    if (line === 'stop') stopAsked = true;
  });
  await started;
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  let published = 0;
  let acked = 0;
  const pending = new Set<Promise<unknown>>();
  while (!stopAsked && (args.seconds === 0 || performance.now() - t0 < args.seconds * 1000)) {
    const due = Math.floor(((performance.now() - t0) / 1000) * args.ratePerS);
    while (published < due && pending.size < MAX_IN_FLIGHT) {
      const { topic, payload } = eventPayload(args, published);
      const sent = clients[published % clients.length]!.publishAsync(topic, payload, { qos: 1 }).then(() => {
        acked++;
        pending.delete(sent);
      });
      pending.add(sent);
      published++;
    }
    await new Promise((resolve) => setTimeout(resolve, TICK_MS));
  }
  const seconds = (performance.now() - t0) / 1000;
  await Promise.allSettled([...pending]);
  const ackedSeconds = (performance.now() - t0) / 1000;
  const usage = process.cpuUsage(cpu);
  const result: LoadResult = { published, acked, seconds, ackedSeconds, cpuMs: (usage.user + usage.system) / 1000 };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  lines.on('close', () => void Promise.all(clients.map((c) => c.endAsync())).then(() => process.exit(0)));
}

main().catch((err: unknown) => {
  process.stderr.write(`${String((err as Error).stack ?? err)}\n`);
  process.exit(1);
});
