// How the browser-facing endpoints answer: read query and form parameters, redirect to the app (query, fragment, form_post), or show an error page.
import type { Request, Response } from 'express';
import { newGuid } from '../ids';
import type { SandboxState } from '../state';
import { aadTimestamp } from './aad-errors';
import { formPostPage, signInErrorPage } from './sign-in-pages';

export type Params = Record<string, string>;

export function readParams(req: Request): Params {
  const merged: Params = {};
  const sources = [req.query, req.method === 'POST' ? req.body : {}] as Record<string, unknown>[];
  for (const source of sources) {
    for (const [name, value] of Object.entries(source ?? {})) if (typeof value === 'string') merged[name] = value;
  }
  return merged;
}

export function sendErrorPage(state: SandboxState, res: Response, aadsts: string): void {
  res.status(400).type('html').send(signInErrorPage(aadsts, newGuid(), aadTimestamp(new Date(state.now()))));
}

/** Sends the result to the app the way response_mode asks: query (default for code), fragment or form_post. */
export function respondToApp(res: Response, params: Params, fields: Params): void {
  const withState = params.state !== undefined ? { ...fields, state: params.state } : fields;
  if (params.response_mode === 'form_post') {
    res.status(200).type('html').send(formPostPage(params.redirect_uri, withState));
    return;
  }
  const target = new URL(params.redirect_uri);
  const encoded = new URLSearchParams(withState).toString();
  if (params.response_mode === 'fragment') target.hash = encoded;
  else for (const [name, value] of Object.entries(withState)) target.searchParams.append(name, value);
  res.redirect(302, target.toString());
}

export function redirectError(state: SandboxState, res: Response, params: Params, error: string, code: number, message: string): void {
  const traceId = newGuid();
  const correlationId = newGuid();
  const description = `AADSTS${code}: ${message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${aadTimestamp(new Date(state.now()))}`;
  respondToApp(res, params, { error, error_description: description, error_uri: `https://login.microsoftonline.com/error?code=${code}` });
}
