import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { brokerCertificate } from './broker-certificate';
import { startEmbeddedBroker, type EmbeddedBroker } from './embedded-broker';

let dir: string;
let broker: EmbeddedBroker | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dockside-tls-'));
});
afterEach(async () => {
  await broker?.close();
  broker = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe('the built-in broker over TLS', () => {
  it('makes its certificate once per data folder, key readable by the user only, and serves mqtts:// with it', async () => {
    const cert = await brokerCertificate(dir, {});
    expect(statSync(join(dir, 'broker-tls', 'key.pem')).mode & 0o777).toBe(0o600);
    expect((await brokerCertificate(dir, {})).fingerprint).toBe(cert.fingerprint);
    const again = await brokerCertificate(dir, { certPath: join(dir, 'broker-tls', 'cert.pem'), keyPath: join(dir, 'broker-tls', 'key.pem') });
    expect(again.fingerprint).toBe(cert.fingerprint);

    const login = { username: 'dock-abcd', password: 'a-long-dock-password' };
    broker = await startEmbeddedBroker({
      host: '127.0.0.1',
      port: 0,
      tls: { port: 0, certPem: cert.certPem, keyPem: cert.keyPem },
      access: { logins: () => ({ dock: login }), ingestFilters: () => [] },
    });
    const url = `mqtts://127.0.0.1:${broker.tlsPort}`;
    await expect(mqtt.connectAsync(url, { ...login, reconnectPeriod: 0, connectTimeout: 3000 })).rejects.toThrow(/self-signed|certificate/i);
    const trusted = await mqtt.connectAsync(url, { ...login, ca: cert.certPem, reconnectPeriod: 0 });
    await trusted.publishAsync('thing/product/DOCKT/osd', '{}', { qos: 1 });
    expect(broker.connectedDocks()).toEqual(['DOCKT']);
    await trusted.endAsync();
  });

  it('names a missing supplied file', async () => {
    await expect(brokerCertificate(dir, { certPath: join(dir, 'nope.pem'), keyPath: join(dir, 'nope.key') })).rejects.toThrow(/ENOENT.*nope\.pem/);
  });
});
