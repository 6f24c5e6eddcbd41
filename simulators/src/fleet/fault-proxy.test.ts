import { describe, expect, it } from 'vitest';
import { connectClientId } from './fault-proxy.js';

/** A CONNECT packet as MQTT.js writes it (protocol level 4, or 5 with an empty property list). */
function connectPacket(clientId: string, level: 4 | 5): Buffer {
  const id = Buffer.from(clientId, 'utf8');
  const variable = Buffer.concat([Buffer.from([0, 4]), Buffer.from('MQTT'), Buffer.from([level, 0x02, 0, 30]), level === 5 ? Buffer.from([0]) : Buffer.alloc(0)]);
  const payload = Buffer.concat([Buffer.from([id.length >> 8, id.length & 255]), id]);
  const remaining = variable.length + payload.length;
  return Buffer.concat([Buffer.from([0x10, remaining]), variable, payload]);
}

describe('fault relay CONNECT parsing', () => {
  it('reads the client id of MQTT 3.1.1 and 5 CONNECT packets', () => {
    expect(connectClientId(connectPacket('sim-cam-a01', 4))).toBe('sim-cam-a01');
    expect(connectClientId(connectPacket('sim-loop-AID01101', 5))).toBe('sim-loop-AID01101');
  });

  it('waits for the rest of a split packet and refuses what is not a CONNECT', () => {
    const packet = connectPacket('abc', 4);
    expect(connectClientId(packet.subarray(0, 5))).toBeUndefined();
    expect(connectClientId(Buffer.from([0x30, 0]))).toBeNull();
  });
});
