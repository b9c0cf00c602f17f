// GET /auth/microsoft/callback: the redirect target registered with Microsoft, completing the sign-in for the browser that started it.
import type { CookieOptions, RequestHandler, Response, Router } from 'express';
import type { Logger } from 'pino';
import { GatewayError } from '../errors/gateway-errors';
import type { AccountService } from './account.service';
import { clearBindingCookie, readBindingCookie } from './binding-cookie';
import { callbackPageHeaders, finishInAppPage, sendSignInFailure, sendUnexpectedFailure, signedInPage } from './callback-pages';
import { queryValue } from './query-value';
import { signInFailureFor } from './sign-in-errors';
import { CALLBACK_PATH } from './sign-in-paths';
import type { SignInService } from './sign-in.service';
import { exactRouter } from '../server/exact-router';

export interface CallbackRouteDependencies {
  signIn: SignInService;
  accounts: AccountService;
  cookieOptions: CookieOptions;
  /** Per-client-address limit, before any work: forged callbacks are cheap to send and dear to answer. */
  rateLimit: RequestHandler;
  logger: Logger;
}

/**
 * A linking sign-in completes only with the starter's session (completeMicrosoftSignIn), so the callback leaves the
 * state unspent and hands code and state to the app in the fragment (never sent to servers or in Referer headers).
 */
function handOverLink(response: Response, returnTo: string | null, code: string, state: string): void {
  if (!returnTo) {
    response.status(200).set(callbackPageHeaders).type('html').send(finishInAppPage());
    return;
  }
  const target = new URL(returnTo);
  target.hash = new URLSearchParams({ code, state }).toString();
  response.status(303).set(callbackPageHeaders).redirect(303, target.toString());
}

export function microsoftCallbackRouter(deps: CallbackRouteDependencies): Router {
  const { signIn, accounts, cookieOptions, logger } = deps;
  const router = exactRouter();
  router.get(CALLBACK_PATH, deps.rateLimit, async (request, response) => {
    const state = queryValue(request, 'state');
    const proof = { kind: 'browser' as const, secret: readBindingCookie(request, state) };
    // Used or refused, the binding has done its work for this state.
    clearBindingCookie(response, state, cookieOptions);
    const microsoftError = queryValue(request, 'error');
    if (microsoftError) {
      // access_denied is the user declining consent (AADSTS65004); the state is spent either way.
      const { error, logCode } = signInFailureFor(microsoftError);
      try {
        await signIn.abandon(state);
      } catch {
        // The state expires on its own; the user still hears why the sign-in failed.
        logger.warn({ errorCode: logCode }, 'could not spend the state of a refused sign-in');
      }
      logger.info({ errorCode: logCode }, 'Microsoft redirected back with an error');
      return sendSignInFailure(response, error);
    }
    try {
      // Checks the binding before anything else: a browser without it gets neither a session nor the code.
      const link = await signIn.pendingLink(state, proof);
      if (link) return handOverLink(response, link.returnTo, queryValue(request, 'code') ?? '', state ?? '');
      const completed = await signIn.complete({ code: queryValue(request, 'code') ?? '', state: state ?? '', proof });
      const { sessionToken, expiresAt } = completed.session;
      if (completed.returnTo) {
        // The fragment never reaches a server log or a Referer header.
        const target = new URL(completed.returnTo);
        target.hash = new URLSearchParams({ session_token: sessionToken, expires_at: expiresAt.toISOString(), channel: completed.channel.toUpperCase() }).toString();
        return response.status(303).set(callbackPageHeaders).redirect(303, target.toString());
      }
      const displayName = (await accounts.viewer(completed.userId))?.displayName ?? null;
      response.status(200).set(callbackPageHeaders).type('html').send(signedInPage({ sessionToken, expiresAt, channel: completed.channel, displayName }));
    } catch (error) {
      if (error instanceof GatewayError) return sendSignInFailure(response, error);
      logger.error({ err: { type: (error as Error)?.name } }, 'unexpected failure in the Microsoft callback');
      sendUnexpectedFailure(response);
    }
  });
  return router;
}
