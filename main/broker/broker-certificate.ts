// The TLS certificate of the built-in broker's mqtts:// listener: the technician's PEM files, or one
// Dockside makes once per data folder (self-signed, naming this laptop's addresses), kept beside the
// journal with its key readable by the user only.
import { X509Certificate } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { lanAddresses } from '../firmware/lan-address';

export interface BrokerCertificate {
  certPem: string;
  keyPem: string;
  /** SHA-256 fingerprint, for the technician to compare with what a client is shown. */
  fingerprint: string;
}

const VALID_YEARS = 10;

function readPair(certPath: string, keyPath: string): BrokerCertificate {
  const certPem = readFileSync(certPath, 'utf8');
  const keyPem = readFileSync(keyPath, 'utf8');
  return { certPem, keyPem, fingerprint: new X509Certificate(certPem).fingerprint256 };
}

async function generated(dataDir: string): Promise<BrokerCertificate> {
  const dir = join(dataDir, 'broker-tls');
  const certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  try {
    return readPair(certPath, keyPath);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const notAfterDate = new Date();
  notAfterDate.setFullYear(notAfterDate.getFullYear() + VALID_YEARS);
  const made = await generate([{ name: 'commonName', value: 'Dockside built-in broker' }], {
    keyType: 'ec',
    curve: 'P-256',
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, ...['127.0.0.1', ...lanAddresses()].map((ip) => ({ type: 7 as const, ip }))] },
    ],
  });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(keyPath, made.private, { mode: 0o600 });
  chmodSync(keyPath, 0o600);
  writeFileSync(certPath, made.cert);
  return readPair(certPath, keyPath);
}

/** The supplied pair when both paths are given, else Dockside's own; a missing or bad file throws with its reason. */
export async function brokerCertificate(dataDir: string, supplied: { certPath?: string; keyPath?: string }): Promise<BrokerCertificate> {
  if (supplied.certPath && supplied.keyPath) return readPair(supplied.certPath, supplied.keyPath);
  return generated(dataDir);
}
