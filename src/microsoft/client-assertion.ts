// Signs a fresh client assertion (certificate credential) for every token request msal-node makes.
// https://learn.microsoft.com/entra/identity-platform/certificate-credentials
import { constants, createPrivateKey, randomUUID, sign } from 'node:crypto';
import type { ClientAssertionCallback } from '@azure/msal-node';
import type { ClientCertificate } from '../config/client-certificate';

/** Microsoft's examples give assertions ten minutes, as msal-node does. */
const ASSERTION_LIFETIME_SECONDS = 600;

const base64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

/**
 * msal-node's own `clientCertificate` keeps one assertion (one jti) per application object for ten minutes and sends
 * it again, which a token service that refuses replayed jti values (RFC 7523 §3, the sandbox) turns away; through its
 * `clientAssertion` callback every token request gets a new one, signed like msal-node's (PS256, x5t#S256).
 */
export function clientAssertionSigner(certificate: ClientCertificate, now: () => number = Date.now): ClientAssertionCallback {
  const privateKey = createPrivateKey(certificate.privateKeyPem);
  const header = base64url(JSON.stringify({ alg: 'PS256', typ: 'JWT', 'x5t#S256': base64url(Buffer.from(certificate.thumbprintSha256, 'hex')) }));
  return async ({ clientId, tokenEndpoint }) => {
    const issuedAt = Math.floor(now() / 1000);
    const claims = { aud: tokenEndpoint, iss: clientId, sub: clientId, jti: randomUUID(), iat: issuedAt, nbf: issuedAt, exp: issuedAt + ASSERTION_LIFETIME_SECONDS };
    const signedPart = `${header}.${base64url(JSON.stringify(claims))}`;
    // PS256: RSASSA-PSS with SHA-256 and a salt as long as the digest (RFC 7518 §3.5).
    const signature = sign('sha256', Buffer.from(signedPart), { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST });
    return `${signedPart}.${base64url(signature)}`;
  };
}
