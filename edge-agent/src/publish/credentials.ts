import { readFileSync } from 'node:fs';
import type { IClientOptions } from 'mqtt';
import { SW_EDGE_CREDENTIAL_FILE } from '../errors.js';

/** The environment variable that carries the device token; it wins over mqtt.credentialFile. */
export const DEVICE_TOKEN_ENV = 'STREETWISE_DEVICE_TOKEN';

export interface MqttLoginConfig {
  username?: string;
  credentialFile?: string;
  caFile?: string;
}

/**
 * The device's broker login and TLS trust: its token from STREETWISE_DEVICE_TOKEN or from the file
 * mqtt.credentialFile names (never from the YAML itself, which is copied around and shown in reviews),
 * the username (default: the device id), and the CA to trust for mqtts://. No token: no login (an open broker).
 */
export function mqttLoginOptions(config: MqttLoginConfig, deviceId: string, env: NodeJS.ProcessEnv = process.env): Partial<IClientOptions> {
  const read = (what: string, file: string): string => {
    try {
      return readFileSync(file, 'utf8');
    } catch (err) {
      throw SW_EDGE_CREDENTIAL_FILE([what, file, (err as Error).message], { cause: err });
    }
  };
  const fromEnv = env[DEVICE_TOKEN_ENV]?.trim();
  const token = fromEnv ? fromEnv : config.credentialFile ? read('mqtt.credentialFile', config.credentialFile).trim() : undefined;
  return {
    ...(token ? { username: config.username ?? deviceId, password: token } : config.username ? { username: config.username } : {}),
    ...(config.caFile ? { ca: read('mqtt.caFile', config.caFile) } : {}),
  };
}
