// The gateway's sign-in routes: where the browser starts (and is bound) and where Microsoft redirects back.
export const SIGN_IN_START_PATH = '/auth/microsoft/start';
export const CALLBACK_PATH = '/auth/microsoft/callback';
/** The binding cookies are sent to these routes only. */
export const SIGN_IN_COOKIE_PATH = '/auth/microsoft';
