// How a session token is stored: HMAC-SHA256 under a key derived from SECRET_KEY, so a new SECRET_KEY ends every session.
import { createHmac, createSecretKey } from 'node:crypto';
import { deriveKey } from '../crypto/secrets';

/** The stored form of a session token (64 hex characters); the token itself is never stored. */
export type SessionTokenHash = (sessionToken: string) => string;

export function sessionTokenHasher(secretKey: Buffer): SessionTokenHash {
  // Its own HKDF label: the session key and the token encryption key never coincide, and neither reveals the other.
  const key = createSecretKey(deriveKey(secretKey, 'session-token-hash-v1'));
  return (sessionToken) => createHmac('sha256', key).update(sessionToken, 'utf8').digest('hex');
}
