// What proves a completion comes from the client that started the sign-in: the GraphQL completion secret or the browser's binding cookie.
import { constantTimeEquals, sha256Hex } from '../crypto/secrets';
import type { PendingSignIn } from './oauth-states.repository';

/**
 * `completionSecret`: the secret startMicrosoftSignIn returned to the app (GraphQL completion).
 * `browser`: the cookie the start route gave the browser that opened the authorization URL (the callback).
 */
export type SignInProof = { kind: 'completionSecret'; secret?: string | null } | { kind: 'browser'; secret?: string };

/** Secrets we hand out are 43 characters; anything far longer is not one of ours and is not hashed. */
const MAX_SECRET_LENGTH = 256;

/** Whether the proof matches the hash stored with the sign-in; a sign-in without that hash (started before it existed, or never opened in a browser) matches nothing. */
export function proofMatches(pending: Pick<PendingSignIn, 'completionSecretHash' | 'browserBindingHash'>, proof: SignInProof): boolean {
  const storedHash = proof.kind === 'completionSecret' ? pending.completionSecretHash : pending.browserBindingHash;
  if (!storedHash || !proof.secret || proof.secret.length > MAX_SECRET_LENGTH) return false;
  return constantTimeEquals(sha256Hex(proof.secret), storedHash);
}
