// Bearer-token check for Graph: only access tokens this sandbox issued, unexpired and not expired server-side.
import type { NextFunction, Request, Response } from 'express';
import type { SandboxState } from '../state';
import type { SandboxUser } from '../types';
import { graphFailures, sendGraphFailure } from './graph-errors';
import { GRAPH_AUDIENCE } from '../identity/token-issuer';

export interface Caller {
  user: SandboxUser;
  appId: string;
  scopes: string[];
}

export function callerOf(res: Response): Caller {
  return res.locals.caller as Caller;
}

function authenticate(state: SandboxState, header: string | undefined): Caller {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!match) throw graphFailures.invalidAuthenticationToken('Access token is empty.');
  const claims = state.keys.verify(match[1]);
  if (!claims || claims.aud !== GRAPH_AUDIENCE) throw graphFailures.invalidAuthenticationToken('Access token validation failure. Invalid audience.');
  const nowSeconds = state.now() / 1000;
  const record = state.grants.accessToken(String(claims.uti));
  const isExpired = Number(claims.exp) <= nowSeconds || Number(claims.nbf) > nowSeconds + 300;
  if (!record || isExpired || record.isExpiredByServer) {
    throw graphFailures.invalidAuthenticationToken('Lifetime validation failed, the token is expired.');
  }
  const user = state.directory.userById(String(claims.oid));
  if (!user) throw graphFailures.invalidAuthenticationToken('Access token validation failure.');
  return { user, appId: String(claims.appid), scopes: String(claims.scp ?? '').split(' ').filter(Boolean) };
}

/** Graph answers 401 with a WWW-Authenticate challenge naming the authority. */
export function requireCaller(state: SandboxState) {
  return (req: Request, res: Response, next: NextFunction): void => {
    try {
      res.locals.caller = authenticate(state, req.get('authorization'));
      next();
    } catch (failure) {
      res.setHeader('WWW-Authenticate', `Bearer realm="", authorization_uri="${state.urls.authorityHost}/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`);
      sendGraphFailure(req, res, failure as never, state.now());
    }
  };
}

/** Permission check: reading needs a Calendars.* scope, writing needs Calendars.ReadWrite. */
export function hasCalendarScope(caller: Caller, needsWrite: boolean): boolean {
  const granted = caller.scopes.map((scope) => scope.toLowerCase());
  if (granted.includes('calendars.readwrite')) return true;
  return !needsWrite && (granted.includes('calendars.read') || granted.includes('calendars.readbasic'));
}
