// The short HTML pages the browser sign-in routes show: signed in (with the session token) or the failure reason.
import type { Response } from 'express';
import type { GatewayError } from '../errors/gateway-errors';

const PAGE_HEADERS = {
  'Cache-Control': 'no-store',
  Pragma: 'no-cache',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
};

export const callbackPageHeaders = PAGE_HEADERS;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:10vh auto;padding:0 1rem;color:#222}code{word-break:break-all;background:#f4f4f4;padding:2px 4px}</style>
</head><body>${body}</body></html>`;
}

/**
 * Shown when the sign-in started without returnTo: the token is the page's content, for the person or tool that started
 * it. Outside production it links to the GraphQL IDE with the token in the fragment, which the IDE turns into its
 * Authorization header (a fragment never reaches a server or a Referer header).
 */
export function signedInPage(view: { sessionToken: string; expiresAt: Date; channel: string; displayName: string | null; ideUrl?: string }): string {
  const headers = JSON.stringify({ Authorization: `Bearer ${view.sessionToken}` });
  const ideLink = view.ideUrl
    ? `<p><a id="open-ide" href="${escapeHtml(`${view.ideUrl}#${new URLSearchParams({ session_token: view.sessionToken })}`)}">Open the GraphQL IDE with this session</a></p>\n`
    : '';
  return layout(
    'Signed in',
    `<h1>Signed in${view.displayName ? ` as ${escapeHtml(view.displayName)}` : ''}</h1>
<p>Your gateway session on the ${escapeHtml(view.channel.toUpperCase())} channel is ready. Send it as <code>Authorization: Bearer &lt;token&gt;</code>.</p>
<p>Session token: <code id="session-token">${escapeHtml(view.sessionToken)}</code></p>
${ideLink}<p>HTTP headers, ready to paste into a GraphQL client:</p>
<pre><code id="authorization-headers">${escapeHtml(headers)}</code></pre>
<p>Expires at <span id="session-expires-at">${escapeHtml(view.expiresAt.toISOString())}</span>. You can close this page.</p>`,
  );
}

export function signInFailedPage(reason: string, message: string, adminConsentUrl?: string): string {
  const consentLink = adminConsentUrl
    ? `\n<p>Administrator consent link: <a id="admin-consent-url" href="${escapeHtml(adminConsentUrl)}">${escapeHtml(adminConsentUrl)}</a></p>`
    : '';
  return layout(
    'Sign-in failed',
    `<h1>Sign-in failed</h1>
<p id="reason">${escapeHtml(reason)}</p>
<p>${escapeHtml(message)}</p>${consentLink}`,
  );
}

/** Where the administrator lands after granting consent through adminConsentUrl. */
export function adminConsentGrantedPage(): string {
  return layout(
    'Consent granted',
    `<h1>Consent granted</h1>
<p id="reason">ADMIN_CONSENT_GRANTED</p>
<p>You consented to this app for your organization. Its users can sign in now; you can close this page.</p>`,
  );
}

/** A linking sign-in is finished by the app that started it, with its session; this page never completes it. */
export function finishInAppPage(link: { channel: string; code: string; state: string }): string {
  const variables = JSON.stringify({ channel: link.channel, code: link.code, state: link.state, completionSecret: '<completionSecret from startMicrosoftSignIn>' }, null, 2);
  return layout(
    'Finish in the app',
    `<h1>Finish in the app</h1>
<p id="reason">LINK_PENDING</p>
<p>This sign-in adds a Microsoft account on the ${escapeHtml(link.channel)} channel to a signed-in gateway user. Only that user's session can finish it: if you did not start this yourself, close this page and nothing is connected. Never send the values below to anyone: whoever finishes with them gets access to the Microsoft account you just signed in with.</p>
<p>To finish, the app (or you, in the GraphQL IDE) sends this request to <code>/graphql</code> within 10 minutes, with the same <code>Authorization: Bearer &lt;session token&gt;</code> header that started the sign-in:</p>
<pre id="complete-mutation"><code>mutation CompleteLink($channel: Channel, $code: String!, $state: String!, $completionSecret: String) {
  completeMicrosoftSignIn(channel: $channel, code: $code, state: $state, completionSecret: $completionSecret) {
    connection { channel email active }
  }
}</code></pre>
<p>with these variables:</p>
<pre id="complete-variables"><code>${escapeHtml(variables)}</code></pre>
<p>To have the app finish it by itself next time, start the sign-in with a <code>returnTo</code> address: the app then receives <code>code</code>, <code>state</code> and <code>channel</code> in the URL fragment.</p>`,
  );
}

/** A failure the person can act on: its reason and message, never a secret. */
export function sendSignInFailure(response: Response, error: GatewayError): void {
  const reason = String(error.extensions.reason ?? error.extensions.code);
  const adminConsentUrl = typeof error.extensions.adminConsentUrl === 'string' ? error.extensions.adminConsentUrl : undefined;
  response.status(400).set(PAGE_HEADERS).type('html').send(signInFailedPage(reason, error.message, adminConsentUrl));
}

export function sendUnexpectedFailure(response: Response): void {
  response.status(500).set(PAGE_HEADERS).type('html').send(signInFailedPage('INTERNAL_SERVER_ERROR', 'Something went wrong on our side; try again.'));
}
