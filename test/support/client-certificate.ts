// App certificates for tests: a self-signed RSA certificate and its key, as one PEM file the gateway reads.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface TestCertificate {
  certificatePem: string;
  privateKeyPem: string;
  /** Where certificate and key were written together (MICROSOFT_CLIENT_CERTIFICATE_FILE). */
  file: string;
}

export async function createTestCertificate(folder: string, name: string, options: { notAfter?: Date } = {}): Promise<TestCertificate> {
  const now = Date.now();
  const generated = await generate([{ name: 'commonName', value: `${name} app certificate` }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: new Date(now - 86_400_000),
    notAfterDate: options.notAfter ?? new Date(now + 365 * 86_400_000),
  });
  const file = join(folder, `${name}.pem`);
  writeFileSync(file, generated.cert + generated.private, { mode: 0o600 });
  return { certificatePem: generated.cert, privateKeyPem: generated.private, file };
}
