import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mqttLoginOptions } from './credentials.js';

describe('mqttLoginOptions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sw-cred-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const tokenFile = join(dir, 'token');
  writeFileSync(tokenFile, 'file-token\n');

  it('reads the token from the file, the username defaulting to the device id', () => {
    expect(mqttLoginOptions({ credentialFile: tokenFile }, 'cam-1', {})).toEqual({ username: 'cam-1', password: 'file-token' });
  });
  it('lets STREETWISE_DEVICE_TOKEN win over the file', () => {
    expect(mqttLoginOptions({ credentialFile: tokenFile, username: 'gw' }, 'cam-1', { STREETWISE_DEVICE_TOKEN: ' env-token ' })).toEqual({ username: 'gw', password: 'env-token' });
  });
  it('logs in with nothing when no token is given, and reads the CA file', () => {
    writeFileSync(join(dir, 'ca.pem'), 'PEM');
    expect(mqttLoginOptions({ caFile: join(dir, 'ca.pem') }, 'cam-1', {})).toEqual({ ca: 'PEM' });
  });
  it('names the file it cannot read', () => {
    expect(() => mqttLoginOptions({ credentialFile: join(dir, 'missing') }, 'cam-1', {})).toThrow(/SW_EDGE_CREDENTIAL_FILE|cannot read mqtt.credentialFile .*missing/);
  });
});
