// GET /auth/microsoft/callback: the redirect target registered with Microsoft, completing the sign-in for the browser that started it.
import type { CookieOptions, RequestHandler, Response, Router } from 'express';
import type { Logger } from 'pino';
import { GatewayError } from '../errors/gateway-errors';
import type { AccountService } from './account.service';
import { clearBindingCookie, readBindingCookie } from './binding-cookie';
import { adminConsentGrantedPage, callbackPageHeaders, finishInAppPage, sendSignInFailure, sendUnexpectedFailure, signedInPage } from './callback-pages';
import { queryValue } from './query-value';
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
  /** The GraphQL IDE the signed-in page links to with the session (none in production). */
  ideUrl?: string;
}

/**
 * A linking sign-in completes only with the starter's session (completeMicrosoftSignIn): the browser alone cannot
 * prove who started it (a starter could send the start link to someone else), so the callback leaves the state
 * unspent and hands code, state and channel to the app in the fragment (never sent to servers or in Referer
 * headers), or, without returnTo, shows the bound browser exactly what to send.
 */
function handOverLink(response: Response, link: { returnTo: string | null; channel: string }, code: string, state: string): void {
  if (!link.returnTo) {
    response.status(200).set(callbackPageHeaders).type('html').send(finishInAppPage({ channel: link.channel, code, state }));
    return;
  }
  const target = new URL(link.returnTo);
  target.hash = new URLSearchParams({ code, state, channel: link.channel }).toString();
  response.status(303).set(callbackPageHeaders).redirect(303, target.toString());
}

export function microsoftCallbackRouter(deps: CallbackRouteDependencies): Router {
  const { signIn, accounts, cookieOptions, logger, ideUrl } = deps;
  const router = exactRouter();
  router.get(CALLBACK_PATH, deps.rateLimit, async (request, response) => {
    const state = queryValue(request, 'state');
    const proof = { kind: 'browser' as const, secret: readBindingCookie(request, state, cookieOptions) };
    // Used or refused, the binding has done its work for this state; another browser's binding is left alone.
    if (proof.secret) clearBindingCookie(response, state, cookieOptions);
    const microsoftError = queryValue(request, 'error');
    if (microsoftError) {
      return sendSignInFailure(response, await signIn.refusedByMicrosoft(state, proof, microsoftError, queryValue(request, 'error_description')));
    }
    // The end of an administrator's consent (adminConsentUrl): no sign-in to complete, users of the tenant can sign in now.
    if (queryValue(request, 'admin_consent')?.toLowerCase() === 'true') {
      logger.info({ tenantId: queryValue(request, 'tenant') }, 'an administrator consented to the app for their organization');
      return response.status(200).set(callbackPageHeaders).type('html').send(adminConsentGrantedPage());
    }
    try {
      // Checks the binding before anything else: a browser without it gets neither a session nor the code.
      const link = await signIn.pendingLink(state, proof);
      if (link) return handOverLink(response, link, queryValue(request, 'code') ?? '', state ?? '');
      const completed = await signIn.complete({ code: queryValue(request, 'code') ?? '', state: state ?? '', proof });
      const { sessionToken, expiresAt } = completed.session;
      if (completed.returnTo) {
        // The fragment never reaches a server log or a Referer header.
        const target = new URL(completed.returnTo);
        target.hash = new URLSearchParams({ session_token: sessionToken, expires_at: expiresAt.toISOString(), channel: completed.channel.toUpperCase() }).toString();
        return response.status(303).set(callbackPageHeaders).redirect(303, target.toString());
      }
      const displayName = (await accounts.viewer(completed.userId))?.displayName ?? null;
      response.status(200).set(callbackPageHeaders).type('html').send(signedInPage({ sessionToken, expiresAt, channel: completed.channel, displayName, ideUrl }));
    } catch (error) {
      if (error instanceof GatewayError) return sendSignInFailure(response, error);
      logger.error({ err: { type: (error as Error)?.name } }, 'unexpected failure in the Microsoft callback');
      sendUnexpectedFailure(response);
    }
  });
  return router;
}
