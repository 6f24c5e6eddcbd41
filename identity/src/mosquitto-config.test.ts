import { describe, expect, it } from 'vitest';
import { buildMosquittoFiles } from './mosquitto-config.js';
import { mosquittoHash } from './token.js';

describe('buildMosquittoFiles', () => {
  it('writes one password line per user and ACL rules that match the embedded broker\'s', () => {
    const users = [
      { id: 'cam-1', kind: 'device' as const, scope: [], mosquittoHash: '$7$101$a$b' },
      { id: 'fleet', kind: 'gateway' as const, scope: ['sim-*', 'cam-9'], mosquittoHash: '$7$101$c$d' },
      { id: 'console', kind: 'downlink' as const, scope: [], mosquittoHash: '$7$101$e$f' },
      { id: 'ingest', kind: 'ingest' as const, scope: [], mosquittoHash: '$7$101$g$h' },
    ];
    const files = buildMosquittoFiles(users, ['sim-a', 'sim-b', 'cam-1'], 'sw');
    expect(files.passwords).toBe('cam-1:$7$101$a$b\nfleet:$7$101$c$d\nconsole:$7$101$e$f\ningest:$7$101$g$h\n');
    const acl = files.acl.split('\n');
    expect(acl).toEqual(expect.arrayContaining([
      'user fleet', 'topic write sw/v1/sim-a/event', 'topic write sw/v1/sim-b/health', 'topic read sw/v1/cam-9/config',
      'user console', 'topic write sw/v1/+/config', 'user ingest', 'topic read sw/v1/+/+',
      'pattern write sw/v1/%u/event', 'pattern read sw/v1/%u/config',
    ]));
    expect(acl.filter((l) => l.startsWith('topic write sw/v1/sim-')).length).toBe(8);
    expect(files.acl).not.toContain('pattern write sw/v1/%u/config');
    expect(files.warnings).toEqual(['fleet: scope "sim-*" expanded to the 2 device ids known now; regenerate after adding devices']);
  });
  it('hashes like mosquitto_passwd: $7$, 101 rounds of PBKDF2-SHA512 over a 12-byte salt', () => {
    const salt = Buffer.from('MKZWAniIRmaM/R9i', 'base64');
    // Made by `mosquitto_passwd -b file alice s3cret` (Mosquitto 2.0.11).
    expect(mosquittoHash('s3cret', salt)).toBe('$7$101$MKZWAniIRmaM/R9i$7mzL7XFCJh8f90w5kPa6M/lkLjqL9G24ykUxAJtDkwJpPnmH1gI4+Ei9VB6OkXDaUk2tus5fFR51JH1bm3IbCg==');
  });
});
