// The identity platform's routes for any tenant segment; the browser-facing subset is served over plain HTTP too.
import express, { Router } from 'express';
import { applyFaults } from '../control/faults';
import type { SandboxState } from '../state';
import { aad, sendAadError } from './aad-errors';
import { adminConsentEndpoint } from './admin-consent-endpoint';
import { authorizeEndpoint } from './authorize-endpoint';
import { keysEndpoint, logoutEndpoint, openIdConfigurationEndpoint } from './discovery';
import { tokenEndpoint } from './token-endpoint';

/** /authorize, /adminconsent and /logout: what a person's browser visits. */
export function browserRouter(state: SandboxState): Router {
  const router = Router();
  router.use(applyFaults(state.faults, (res, status) => {
    res.status(status).type('html').send(`<!doctype html><title>Sign in</title><p>Sorry, the sign-in service is unavailable (HTTP ${status}). Try again later.</p>`);
  }));
  router.use(express.urlencoded({ extended: false }));
  router.get('/:tenant/oauth2/v2.0/authorize', authorizeEndpoint(state));
  router.post('/:tenant/oauth2/v2.0/authorize', authorizeEndpoint(state));
  router.get('/:tenant/v2.0/adminconsent', adminConsentEndpoint(state));
  router.post('/:tenant/v2.0/adminconsent', adminConsentEndpoint(state));
  router.get('/:tenant/oauth2/v2.0/logout', logoutEndpoint(state));
  return router;
}

/** Discovery, keys and /token (HTTPS only), plus the browser routes. */
export function identityRouter(state: SandboxState): Router {
  const router = Router();
  const jsonFaults = applyFaults(state.faults, (res, status) => sendAadError(res, aad.temporarilyUnavailable(status), new Date(state.now())));
  router.get('/:tenant/v2.0/.well-known/openid-configuration', jsonFaults, openIdConfigurationEndpoint(state));
  router.get('/:tenant/discovery/v2.0/keys', jsonFaults, keysEndpoint(state));
  router.post('/:tenant/oauth2/v2.0/token', jsonFaults, express.urlencoded({ extended: false, limit: '1mb' }), tokenEndpoint(state));
  router.use(browserRouter(state));
  return router;
}
