// The sandbox's RS256 signing key: signs id and access tokens, verifies access tokens, publishes the JWKS.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

export type JwtClaims = Record<string, unknown>;

const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export class SigningKeys {
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  readonly keyId: string;

  /** `privateKeyPem`: a key kept from an earlier run, so tokens it signed stay valid; otherwise a new one. */
  constructor(privateKeyPem?: string) {
    if (privateKeyPem) {
      this.privateKey = createPrivateKey(privateKeyPem);
      this.publicKey = createPublicKey(this.privateKey);
    } else {
      const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
      this.privateKey = pair.privateKey;
      this.publicKey = pair.publicKey;
    }
    const der = this.publicKey.export({ format: 'der', type: 'spki' });
    this.keyId = createHash('sha256').update(der).digest('base64url').slice(0, 27);
  }

  privateKeyPem(): string {
    return this.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  }

  /** The JWKS document served at /{tenant}/discovery/v2.0/keys. */
  jwks(): { keys: Record<string, unknown>[] } {
    const jwk = this.publicKey.export({ format: 'jwk' });
    return { keys: [{ kty: 'RSA', use: 'sig', kid: this.keyId, x5t: this.keyId, n: jwk.n, e: jwk.e }] };
  }

  sign(claims: JwtClaims): string {
    const header = base64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', kid: this.keyId }));
    const payload = base64url(JSON.stringify(claims));
    const signature = sign('sha256', Buffer.from(`${header}.${payload}`), this.privateKey);
    return `${header}.${payload}.${base64url(signature)}`;
  }

  /** The claims of a token this key signed, or null when it is malformed or the signature is wrong. */
  verify(token: string): JwtClaims | null {
    const parts = token.split('.');
    if (parts.length !== 3) return null;
    try {
      const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as { alg?: string };
      if (header.alg !== 'RS256') return null;
      const isValid = verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), this.publicKey, Buffer.from(parts[2], 'base64url'));
      return isValid ? (JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as JwtClaims) : null;
    } catch {
      return null;
    }
  }
}

