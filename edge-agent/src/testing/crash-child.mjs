// Child process for the SIGKILL test: publishes events through a disk outbox and prints each id once
// publishEvent has returned (the record is on disk: fsync 'always'). The parent kills it mid-stream.
import { pino } from 'pino';
import { createPublisher, openFileOutbox } from '../../dist/index.js';

const [dir, url] = process.argv.slice(2);
const outbox = openFileOutbox({ dir, fsync: 'always' });
const publisher = createPublisher({
  deviceId: 'crash-1',
  mqttUrl: url,
  outbox,
  birth: { kind: 'camera', location: { lat: 1, lon: 2 } },
  healthIntervalS: 0,
  logger: pino({ level: 'silent' }),
});
publisher.start();
await publisher.whenConnected();
let n = 0;
// ~2 KB per event, so a kill is likely to land inside a write.
const attrs = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`f${i}`, 'x'.repeat(250)]));
const tick = () => {
  const msg = publisher.publishEvent({ type: 'detection', severity: 'info', trackId: n++, attrs });
  process.stdout.write(`${msg.id}\n`);
  setImmediate(tick);
};
tick();
