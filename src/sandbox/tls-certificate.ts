// Generates the sandbox's self-signed TLS certificate, which clients trust as a CA for 127.0.0.1 and localhost.
import { generate } from 'selfsigned';

export interface TlsMaterial {
  keyPem: string;
  certPem: string;
}

export async function createTlsCertificate(host: string): Promise<TlsMaterial> {
  const isIp = /^[\d.]+$|:/.test(host);
  const altNames: { type: 2 | 7; value?: string; ip?: string }[] = [
    { type: 2, value: 'localhost' },
    { type: 7, ip: '127.0.0.1' },
    { type: 7, ip: '::1' },
  ];
  if (isIp && host !== '127.0.0.1' && host !== '::1') altNames.push({ type: 7, ip: host });
  if (!isIp && host !== 'localhost') altNames.push({ type: 2, value: host });
  const now = Date.now();
  const result = await generate([{ name: 'commonName', value: 'Microsoft sandbox (local)' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: new Date(now - 86_400_000),
    notAfterDate: new Date(now + 365 * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  return { keyPem: result.private, certPem: result.cert };
}
