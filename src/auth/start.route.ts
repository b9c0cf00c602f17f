// GET /auth/microsoft/start: the authorization URL the gateway hands out; binds the sign-in to this browser, then redirects to Microsoft.
import type { CookieOptions, Router } from 'express';
import type { Logger } from 'pino';
import { GatewayError } from '../errors/gateway-errors';
import { setBindingCookie, readBindingCookie } from './binding-cookie';
import type { BrowserBindingService } from './browser-binding.service';
import { sendSignInFailure, sendUnexpectedFailure } from './callback-pages';
import { SIGN_IN_START_PATH } from './sign-in-paths';
import { queryValue } from './query-value';
import { exactRouter } from '../server/exact-router';

export function signInStartRouter(binding: BrowserBindingService, cookieOptions: CookieOptions, logger: Logger): Router {
  const router = exactRouter();
  router.get(SIGN_IN_START_PATH, async (request, response) => {
    const state = queryValue(request, 'state');
    // Link checkers and unfurlers probe with HEAD: binding on it would hand the sign-in to them, not to the person.
    if (request.method === 'HEAD') return void response.status(204).set('Cache-Control', 'no-store').end();
    try {
      const opened = await binding.open(state, readBindingCookie(request, state, cookieOptions));
      if (opened.browserSecret) setBindingCookie(response, state!, opened.browserSecret, cookieOptions);
      // 303: the browser follows with a GET whatever method reached us; no-store so no cache replays the binding.
      response.status(303).set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' }).redirect(303, opened.microsoftUrl);
    } catch (error) {
      if (error instanceof GatewayError) return sendSignInFailure(response, error);
      logger.error({ err: { type: (error as Error)?.name } }, 'unexpected failure in the Microsoft sign-in start');
      sendUnexpectedFailure(response);
    }
  });
  return router;
}
