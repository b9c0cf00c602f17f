// AES-256-GCM envelopes for token material at rest: versioned, key-identified, bound to their row.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { deriveKey } from './secrets';

const ENVELOPE_VERSION = 'v1';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export class DecryptionError extends Error {
  constructor(reason: string) {
    super(`stored token material cannot be decrypted: ${reason}`);
    this.name = 'DecryptionError';
  }
}

interface KeyEntry {
  id: string;
  key: Buffer;
}

/** Derives the token encryption key from SECRET_KEY when TOKEN_ENCRYPTION_KEY is not set. */
export function deriveEncryptionKey(secretKey: Buffer): Buffer {
  return deriveKey(secretKey, 'token-encryption-v1');
}

export function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, 8);
}

export class TokenCipher {
  private readonly keys: KeyEntry[];

  /** The first key encrypts; every key decrypts, so old values stay readable during rotation. */
  constructor(keys: Buffer[]) {
    if (keys.length === 0) throw new Error('TokenCipher needs at least one key');
    this.keys = keys.map((key) => {
      if (key.length !== 32) throw new Error('encryption keys must be 32 bytes');
      return { id: keyId(key), key };
    });
  }

  get currentKeyId(): string {
    return this.keys[0].id;
  }

  /** Encrypts `plaintext`; `associatedData` names the row it belongs to (e.g. "tokens:main:<userId>"). */
  encrypt(plaintext: string, associatedData: string): string {
    const { id, key } = this.keys[0];
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    cipher.setAAD(Buffer.from(`${ENVELOPE_VERSION}.${id}.${associatedData}`, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const payload = Buffer.concat([nonce, ciphertext, cipher.getAuthTag()]).toString('base64url');
    return `${ENVELOPE_VERSION}.${id}.${payload}`;
  }

  decrypt(envelope: string, associatedData: string): string {
    const [version, id, payload, extra] = envelope.split('.');
    if (version !== ENVELOPE_VERSION || !id || !payload || extra !== undefined) throw new DecryptionError('unknown envelope format');
    const entry = this.keys.find((candidate) => candidate.id === id);
    if (!entry) throw new DecryptionError(`key ${id} is not configured`);
    const bytes = Buffer.from(payload, 'base64url');
    if (bytes.length < NONCE_BYTES + TAG_BYTES) throw new DecryptionError('envelope too short');
    const decipher = createDecipheriv('aes-256-gcm', entry.key, bytes.subarray(0, NONCE_BYTES));
    decipher.setAAD(Buffer.from(`${version}.${id}.${associatedData}`, 'utf8'));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new DecryptionError('authentication failed (tampered, wrong key or wrong row)');
    }
  }

  /** True when the value is not under the current key and should be re-encrypted. */
  needsReencryption(envelope: string): boolean {
    return envelope.split('.')[1] !== this.currentKeyId;
  }
}

/**
 * The first explicit TOKEN_ENCRYPTION_KEY encrypts. The key derived from SECRET_KEY always stays last, decrypt-only
 * once explicit keys are set: rows written before TOKEN_ENCRYPTION_KEY existed stay readable until keys:rotate moves them.
 */
export function createTokenCipher(secretKey: Buffer, explicitKeys: Buffer[]): TokenCipher {
  const derivedKey = deriveEncryptionKey(secretKey);
  return new TokenCipher([...explicitKeys.filter((key) => !key.equals(derivedKey)), derivedKey]);
}
