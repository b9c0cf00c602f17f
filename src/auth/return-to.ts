// Decides whether a sign-in may send the browser back to a URL: only to an origin on ALLOWED_RETURN_URLS.
export function allowedReturnUrl(returnTo: string, allowedOrigins: readonly string[]): string | undefined {
  let url: URL;
  try {
    url = new URL(returnTo);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  // user:pass@host tricks readers of the URL about where it goes.
  if (url.username || url.password) return undefined;
  return allowedOrigins.includes(url.origin) ? url.href : undefined;
}
