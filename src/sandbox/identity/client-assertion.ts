// Verifies client assertions (certificate credentials) as Microsoft documents them: certificate thumbprint, signature, audience, issuer, time range, jti.
// https://learn.microsoft.com/entra/identity-platform/certificate-credentials
import { constants, createHash, verify, X509Certificate } from 'node:crypto';
import type { SandboxApp } from '../types';
import { aad, type AadError } from './aad-errors';

export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Microsoft tolerates five minutes of clock skew between the client and the token service. */
const CLOCK_SKEW_SECONDS = 300;

/** The jti of every accepted assertion, until it expires: an assertion is good for one token request. */
export class UsedAssertionIds {
  private readonly expiries = new Map<string, number>();

  /** Records the id; false when it was already used. */
  claim(jti: string, expiresAtSeconds: number, nowSeconds: number): boolean {
    for (const [id, expiry] of this.expiries) if (expiry + CLOCK_SKEW_SECONDS < nowSeconds) this.expiries.delete(id);
    if (this.expiries.has(jti)) return false;
    this.expiries.set(jti, expiresAtSeconds);
    return true;
  }
}

export interface AssertionCheck {
  assertion: string;
  clientId: string;
  app: SandboxApp;
  /** The token endpoint the assertion was posted to: its `aud` must name exactly this. */
  tokenEndpoint: string;
  nowSeconds: number;
  usedIds: UsedAssertionIds;
}

interface ParsedAssertion {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  signedPart: Buffer;
  signature: Buffer;
}

function parse(assertion: string): ParsedAssertion | undefined {
  const parts = assertion.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
    return { header: decode(parts[0]), claims: decode(parts[1]), signedPart: Buffer.from(`${parts[0]}.${parts[1]}`), signature: Buffer.from(parts[2], 'base64url') };
  } catch {
    return undefined;
  }
}

/** The thumbprint the header names: x5t#S256 (SHA-256 of the certificate) or the older x5t (SHA-1). */
function headerThumbprint(header: Record<string, unknown>): { value: string; algorithm: 'sha256' | 'sha1' } | undefined {
  if (typeof header['x5t#S256'] === 'string') return { value: header['x5t#S256'], algorithm: 'sha256' };
  if (typeof header.x5t === 'string') return { value: header.x5t, algorithm: 'sha1' };
  return undefined;
}

/** As Microsoft prints it in AADSTS700027: upper-case hex. */
const printable = (thumbprint: string) => Buffer.from(thumbprint, 'base64url').toString('hex').toUpperCase();

function hasValidSignature(parsed: ParsedAssertion, certificate: X509Certificate): boolean {
  const key = certificate.publicKey;
  // PS256 is RSASSA-PSS with SHA-256 and a salt as long as the digest (RFC 7518 §3.5).
  const verifier = parsed.header.alg === 'PS256' ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST } : key;
  return verify('sha256', parsed.signedPart, verifier, parsed.signature);
}

/** Undefined when the assertion authenticates the app; otherwise Microsoft's refusal. */
export function checkClientAssertion(check: AssertionCheck): AadError | undefined {
  const parsed = parse(check.assertion);
  if (!parsed) return aad.malformedAssertion('The client assertion is not a signed JWT.');
  if (parsed.header.alg !== 'RS256' && parsed.header.alg !== 'PS256') return aad.malformedAssertion(`'${String(parsed.header.alg)}' is not a supported signature algorithm.`);
  const thumbprint = headerThumbprint(parsed.header);
  if (!thumbprint) return aad.malformedAssertion('No certificate thumbprint specified in token header.');
  const certificate = check.app.certificate ? new X509Certificate(check.app.certificate) : undefined;
  const registered = certificate && createHash(thumbprint.algorithm).update(certificate.raw).digest('base64url');
  if (!certificate || thumbprint.value !== registered) return aad.unregisteredCertificate(check.clientId, printable(thumbprint.value));
  if (!hasValidSignature(parsed, certificate)) return aad.invalidAssertionSignature(printable(thumbprint.value));
  const { aud, iss, sub, exp, nbf, jti } = parsed.claims;
  if (aud !== check.tokenEndpoint) return aad.assertionAudience();
  if (iss !== check.clientId || sub !== check.clientId) return aad.assertionClient();
  const now = check.nowSeconds;
  if (typeof exp !== 'number' || exp + CLOCK_SKEW_SECONDS <= now || (typeof nbf === 'number' && nbf - CLOCK_SKEW_SECONDS > now)) {
    return aad.assertionTimeRange(new Date(now * 1000));
  }
  if (typeof jti !== 'string' || !jti) return aad.malformedAssertion("The client assertion has no 'jti' claim.");
  if (!check.usedIds.claim(jti, exp, now)) return aad.malformedAssertion('The client assertion was already used (its jti was seen before); sign a new one for each request.');
  return undefined;
}
