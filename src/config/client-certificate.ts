// Reads an app's client certificate (one PEM file with the certificate and its private key) and checks that the two belong together.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** What msal-node needs to sign client assertions, plus what the sandbox and health need to know about the certificate. */
export interface ClientCertificate {
  /** Hex SHA-256 thumbprint of the certificate's DER bytes: the `x5t#S256` Microsoft matches the registered certificate by. */
  thumbprintSha256: string;
  /** The private key as PKCS#8 PEM. */
  privateKeyPem: string;
  /** The certificate alone, as PEM (what is uploaded to the app registration). */
  certificatePem: string;
  /** The certificate's notAfter: Microsoft refuses assertions signed with an expired certificate. */
  expiresAt: Date;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n[\s\S]+?\r?\n-----END \1-----/g;

/** Throws an Error whose message says what is wrong with the file (never its content). */
export function readClientCertificate(path: string): ClientCertificate {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new Error('the file cannot be read');
  }
  const blocks = [...text.matchAll(PEM_BLOCK)].map((match) => ({ label: match[1], pem: match[0] }));
  const certificateBlock = blocks.find((block) => block.label === 'CERTIFICATE');
  const keyBlock = blocks.find((block) => block.label.endsWith('PRIVATE KEY'));
  if (!certificateBlock) throw new Error('no CERTIFICATE block');
  if (!keyBlock) throw new Error('no PRIVATE KEY block');
  if (keyBlock.label === 'ENCRYPTED PRIVATE KEY') throw new Error('the private key is encrypted; store it unencrypted with mode 0600');
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(certificateBlock.pem);
  } catch {
    throw new Error('the certificate cannot be parsed');
  }
  let privateKey;
  try {
    privateKey = createPrivateKey(keyBlock.pem);
  } catch {
    throw new Error('the private key cannot be parsed');
  }
  // msal-node signs assertions with PS256, which needs an RSA key (as Microsoft's app certificates do).
  if (privateKey.asymmetricKeyType !== 'rsa') throw new Error('the private key is not an RSA key');
  if (!certificate.checkPrivateKey(privateKey)) throw new Error('the private key does not belong to the certificate');
  return {
    thumbprintSha256: certificate.fingerprint256.replace(/:/g, '').toLowerCase(),
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    certificatePem: certificate.toString(),
    expiresAt: new Date(certificate.validTo),
  };
}
