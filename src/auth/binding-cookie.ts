// The browser binding cookie of a sign-in: one cookie per state, HttpOnly, SameSite=Lax, Secure behind https.
import { parse } from 'cookie';
import type { CookieOptions, Request, Response } from 'express';
import { sha256Hex } from '../crypto/secrets';
import { SIGN_IN_COOKIE_PATH } from './sign-in-paths';
import { STATE_LIFETIME_MS } from './sign-in.service';

const COOKIE_PREFIX = 'ms_sign_in_';

/**
 * Named per state, so two tabs signing in at once each keep their own binding. Named by the state's hash, not the
 * state: the name is visible to every script-free page on the path and in request logs of proxies. Behind https the
 * name carries the `__Host-` prefix: browsers then accept it only from this host, Secure, with Path=/ and no Domain,
 * so a sibling subdomain or a plain-http answer on the way cannot plant a binding of the attacker's choosing.
 */
function cookieName(state: string, options: CookieOptions): string {
  return `${options.secure ? '__Host-' : ''}${COOKIE_PREFIX}${sha256Hex(state).slice(0, 24)}`;
}

/**
 * Lax: Microsoft's redirect back is a top-level GET navigation, which carries Lax cookies; nothing cross-site can post
 * with it. Secure whenever the gateway is served over https (plain http only in local development).
 */
export function bindingCookieOptions(publicUrl: string): CookieOptions {
  const url = new URL(publicUrl);
  const secure = url.protocol === 'https:';
  return {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    // __Host- cookies must have Path=/; over plain http (development), under the public URL's own path.
    path: secure ? '/' : `${url.pathname.replace(/\/+$/, '')}${SIGN_IN_COOKIE_PATH}`,
  };
}

export function setBindingCookie(response: Response, state: string, secret: string, options: CookieOptions): void {
  response.cookie(cookieName(state, options), secret, { ...options, maxAge: STATE_LIFETIME_MS });
}

export function readBindingCookie(request: Request, state: string | undefined, options: CookieOptions): string | undefined {
  if (!state || !request.headers.cookie) return undefined;
  return parse(request.headers.cookie)[cookieName(state, options)];
}

export function clearBindingCookie(response: Response, state: string | undefined, options: CookieOptions): void {
  if (state && state.length <= 256) response.clearCookie(cookieName(state, options), options);
}
