// Signs a sandbox user in on a started gateway; a shorthand over the flow in microsoft-sign-in.ts.
import type { Gateway } from '../../src/app';
import { signInAs as signInThroughMicrosoft } from './microsoft-sign-in';

export interface SignedInUser {
  sessionToken: string;
  email: string;
}

/** Signs `email` in on `channel`; with `sessionToken`, links that channel to the same gateway user. */
export async function signInAs(gateway: Gateway, email: string, options: { channel?: 'MAIN' | 'BETA'; sessionToken?: string } = {}): Promise<SignedInUser> {
  const completed = await signInThroughMicrosoft(gateway.url, email, { channel: options.channel ?? 'MAIN', token: options.sessionToken });
  return { sessionToken: completed.sessionToken, email };
}
