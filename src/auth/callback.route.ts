// GET /auth/microsoft/callback: the redirect target registered with Microsoft, completing the sign-in for browsers.
import { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { GatewayError } from '../errors/gateway-errors';
import type { AccountService } from './account.service';
import { callbackPageHeaders, finishInAppPage, signedInPage, signInFailedPage } from './callback-pages';
import { signInFailureFor } from './sign-in-errors';
import type { SignInService } from './sign-in.service';

export const CALLBACK_PATH = '/auth/microsoft/callback';

function queryValue(request: Request, name: string): string | undefined {
  const value = request.query[name];
  return typeof value === 'string' ? value : undefined;
}

function sendFailure(response: Response, error: GatewayError): void {
  const reason = String(error.extensions.reason ?? error.extensions.code);
  response.status(400).set(callbackPageHeaders).type('html').send(signInFailedPage(reason, error.message));
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

/** ideUrl: the GraphQL IDE the signed-in page links to with the session (none in production). */
export function microsoftCallbackRouter(signIn: SignInService, accounts: AccountService, logger: Logger, ideUrl?: string): Router {
  const router = Router();
  router.get(CALLBACK_PATH, async (request, response) => {
    const state = queryValue(request, 'state');
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
      return sendFailure(response, error);
    }
    try {
      const link = await signIn.pendingLink(state);
      if (link) return handOverLink(response, link.returnTo, queryValue(request, 'code') ?? '', state ?? '');
      const completed = await signIn.complete({ useStartedChannel: true, code: queryValue(request, 'code') ?? '', state: state ?? '' });
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
      if (error instanceof GatewayError) return sendFailure(response, error);
      logger.error({ err: { type: (error as Error)?.name } }, 'unexpected failure in the Microsoft callback');
      response.status(500).set(callbackPageHeaders).type('html').send(signInFailedPage('INTERNAL_SERVER_ERROR', 'Something went wrong on our side; try again.'));
    }
  });
  return router;
}
