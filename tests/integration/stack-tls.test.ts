import { readFileSync } from 'node:fs';
import { get } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { provisionCredential } from '@streetwise/identity';
import { startStack, STACK_SETTINGS, type RunningStack } from '@streetwise/stack';
import { makeTlsFiles, type TlsFiles } from '../src/identity/tls-files.js';
import { count, publishAll, testLogger } from '../src/ingest/fixtures.js';
import { birth, publication } from '../src/ingest/messages.js';
import { waitFor } from '@streetwise/testing';

/** `npm start` with TLS everywhere: mqtts:// only (MQTT_PLAIN=off), the console over HTTPS, the fleet logging in over TLS. */
describe('npm start with MQTT over TLS only and the console over HTTPS', () => {
  let tls: TlsFiles;
  let stack: RunningStack;

  beforeAll(async () => {
    tls = makeTlsFiles();
    const parsed = STACK_SETTINGS.parse([], {
      PORT: '0', MQTT_PORT: '0', MQTT_TLS_PORT: '0', DB_PORT: '0', DATA_DIR: 'memory://', SIM_DEVICES: '1',
      MQTT_TLS_CERT: tls.certFile, MQTT_TLS_KEY: tls.keyFile, MQTT_PLAIN: 'off', HTTPS_CERT: tls.certFile, HTTPS_KEY: tls.keyFile,
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed));
    stack = await startStack(parsed.settings, testLogger());
  });
  afterAll(async () => {
    await stack?.stop();
    tls?.remove();
  });

  it('serves the console over HTTPS with the given certificate', async () => {
    expect(stack.consoleUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const status = await new Promise<number>((resolve, reject) => {
      get(`${stack.consoleUrl}/api/health`, { ca: readFileSync(tls.caFile) }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', reject);
    });
    expect([200, 503]).toContain(status);
  });

  it('takes the fleet and a provisioned device over mqtts://, and refuses a good login on the plain port', async () => {
    expect(stack.mqttUrl).toBe(stack.mqttTlsUrl);
    await waitFor(async () => (await count(stack.db, 'select count(*) n from devices')) >= 1, { timeoutMs: 60_000, what: 'the simulated device registered over TLS' });
    const issued = await provisionCredential(stack.db, { id: 'cam-tls-1' });
    const login = { clientId: 'cam-tls-1', username: 'cam-tls-1', password: issued.token, protocolVersion: 4 as const, reconnectPeriod: 0 };
    const device = await mqtt.connectAsync(stack.mqttTlsUrl!, { ...login, ca: readFileSync(tls.caFile) });
    await publishAll(device, [publication('streetwise', 'cam-tls-1', 'status', birth('cam-tls-1'))]);
    await waitFor(async () => (await count(stack.db, `select count(*) n from devices where id = 'cam-tls-1'`)) === 1, { timeoutMs: 30_000, what: 'its birth stored' });
    await device.endAsync();
    await expect(mqtt.connectAsync(stack.mqttPlainUrl!, login)).rejects.toThrow(/Not authorized/);
    const metrics = await new Promise<string>((resolve, reject) => {
      get(`${stack.consoleUrl}/metrics`, { ca: readFileSync(tls.caFile) }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => resolve(body));
      }).on('error', reject);
    });
    expect(metrics).toMatch(/streetwise_broker_auth_refused_total\{reason="plain_refused"\} 1/);
  });
});
