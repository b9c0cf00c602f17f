// HTML of the browser-facing pages: the account picker and Microsoft-style error pages.
import type { SandboxUser } from '../types';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);
}

function layout(title: string, content: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:"Segoe UI",system-ui,sans-serif;background:#f2f2f2;margin:0;display:flex;justify-content:center}
main{background:#fff;margin-top:8vh;padding:44px;width:min(440px,90vw);box-shadow:0 2px 6px rgba(0,0,0,.2)}
h1{font-size:24px;font-weight:600;margin:0 0 8px} p{color:#444} .note{font-size:13px;color:#666}
button{display:block;width:100%;text-align:left;padding:12px;margin:6px 0;border:1px solid #ddd;background:#fff;cursor:pointer;font-size:15px}
button:hover{background:#f5f5f5} button.decline{text-align:center;background:#fafafa} small{display:block;color:#666}
code{word-break:break-all}
</style></head><body><main>${content}</main></body></html>`;
}

/** The account picker: one submit button per user, plus Decline; the original /authorize parameters ride along hidden. */
export function accountPickerPage(appName: string, params: Record<string, string>, users: SandboxUser[]): string {
  const hidden = Object.entries(params)
    .filter(([name]) => name !== 'login_hint' && !name.startsWith('sandbox_'))
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  const accounts = users
    .map((user) => `<button type="submit" name="login_hint" value="${escapeHtml(user.email)}">${escapeHtml(user.displayName)}<small>${escapeHtml(user.email)}</small></button>`)
    .join('');
  return layout('Sign in to your account', `<h1>Pick an account</h1>
<p>to continue to <b>${escapeHtml(appName)}</b></p>
<form method="post">${hidden}${accounts}
<button class="decline" type="submit" name="sandbox_decline" value="1">Decline</button></form>
<p class="note">Microsoft sandbox: no password needed. These are demo users; nothing leaves this machine.</p>`);
}

/** Microsoft shows an error page instead of redirecting when the client or redirect URI cannot be trusted. */
export function signInErrorPage(aadsts: string, correlationId: string, timestamp: string): string {
  return layout('Sign in to your account', `<h1>Sorry, but we're having trouble signing you in.</h1>
<p><code>${escapeHtml(aadsts)}</code></p>
<p class="note">Correlation ID: ${escapeHtml(correlationId)}<br>Timestamp: ${escapeHtml(timestamp)}</p>`);
}

/** response_mode=form_post: an auto-submitting form that posts the result to the redirect URI. */
export function formPostPage(redirectUri: string, fields: Record<string, string>): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  return layout('Working...', `<form method="post" action="${escapeHtml(redirectUri)}">${inputs}<noscript><button type="submit">Continue</button></noscript></form>
<script>document.forms[0].submit()</script>`);
}
