/**
 * MQTT CONNECTs with bad credentials against a broker that checks them (identity's aedes hooks): each must be
 * refused with its CONNACK return code — 4 (bad user name or password) for a name or token that is wrong,
 * 5 (not authorised) for a right token used by the wrong client — never 3 (server unavailable).
 */
import mqtt from 'mqtt';
import { SQL_INJECTIONS } from './mqtt-cases.js';

export interface MqttLoginCase {
  category: string;
  label: string;
  clientId: string;
  username?: string;
  password?: string;
  expect: string;
}

export function mqttLoginCases(c: { id: string; token: string; other: string }): MqttLoginCase[] {
  const category = 'mqtt: logins with bad user names, tokens and client ids';
  const list: Array<[string, string, string | undefined, string | undefined, string]> = [
    ['no user name or token', c.id, undefined, undefined, 'refused 4'],
    ['the right user name, no token', c.id, c.id, undefined, 'refused 4'],
    ['the right user name, a wrong token', c.id, c.id, `${c.token.slice(0, -1)}x`, 'refused 4'],
    ...SQL_INJECTIONS.slice(0, 3).map((text): [string, string, string, string, string] => [`SQL injection as the user name: ${text}`, c.id, text, c.token, 'refused 4']),
    ['SQL injection as the token', c.id, c.id, SQL_INJECTIONS[1], 'refused 4'],
    ['a NUL character in the user name', c.id, `${c.id}\u0000`, c.token, 'refused 4'],
    ['a bidi override in the user name', c.id, `\u202e${c.id}`, c.token, 'refused 4'],
    ['a 20 KiB user name', c.id, 'u'.repeat(20_480), c.token, 'refused 4'],
    ['the right token, another device\'s client id', c.other, c.id, c.token, 'refused 5'],
  ];
  return list.map(([label, clientId, username, password, expect]) => ({ category, label, clientId, ...(username === undefined ? {} : { username }), ...(password === undefined ? {} : { password }), expect }));
}

/** 'connected', or 'refused <CONNACK return code>'. */
export async function tryConnect(url: string, clientId: string, username?: string, password?: string): Promise<string> {
  const client = mqtt.connect(url, { clientId, protocolVersion: 4, clean: true, reconnectPeriod: 0, connectTimeout: 10_000, ...(username === undefined ? {} : { username }), ...(password === undefined ? {} : { password }) });
  try {
    return await new Promise<string>((resolve) => {
      client.once('connect', () => resolve('connected'));
      client.once('error', (err: Error & { code?: number | string }) => resolve(`refused ${err.code ?? err.message}`));
    });
  } finally {
    await client.endAsync(true);
  }
}
