// Decides the start route: binds a pending sign-in to the first browser that opens it and gives back Microsoft's authorization URL.
import type { TokenCipher } from '../crypto/token-cipher';
import { randomToken, sha256Hex } from '../crypto/secrets';
import type { OauthStatesRepository } from './oauth-states.repository';
import { signInErrors } from './sign-in-errors';
import { proofMatches } from './sign-in-proof';

export interface OpenedSignIn {
  /** Microsoft's authorization URL, to redirect the browser to. */
  microsoftUrl: string;
  /** A new binding secret to set as this browser's cookie; absent when the browser already holds the binding. */
  browserSecret?: string;
}

export class BrowserBindingService {
  private readonly now: () => number;

  constructor(
    private readonly states: OauthStatesRepository,
    private readonly cipher: TokenCipher,
    now?: () => number,
  ) {
    this.now = now ?? Date.now;
  }

  /**
   * Binds once: whoever opens a start link first owns the sign-in. A victim sent an attacker's start link binds it to
   * the victim's own browser (and signs in as themselves); an attacker who opened it cannot pass the binding on.
   */
  async open(state: string | undefined, presentedSecret: string | undefined): Promise<OpenedSignIn> {
    if (!state || state.length > 256) throw signInErrors.unknownState();
    const stateHash = sha256Hex(state);
    const pending = await this.states.peek(stateHash);
    if (!pending?.authorizationUrlEncrypted) throw signInErrors.unknownState();
    if (pending.expiresAt.getTime() <= this.now()) throw signInErrors.expiredState();
    const microsoftUrl = this.openUrl(pending.authorizationUrlEncrypted, stateHash);
    if (pending.browserBindingHash) {
      // The same browser opening its link again (a reload, the back button) goes on to Microsoft.
      if (proofMatches(pending, { kind: 'browser', secret: presentedSecret })) return { microsoftUrl };
      throw signInErrors.bindingMismatch();
    }
    const browserSecret = randomToken();
    if (!(await this.states.bindBrowser(stateHash, sha256Hex(browserSecret)))) throw signInErrors.bindingMismatch();
    return { microsoftUrl, browserSecret };
  }

  private openUrl(sealed: string, stateHash: string): string {
    try {
      return this.cipher.decrypt(sealed, authorizationUrlBinding(stateHash));
    } catch {
      // Keys changed since the sign-in started: it cannot be finished.
      throw signInErrors.unknownState();
    }
  }
}

/** Ties the sealed authorization URL to its state, so a row's URL cannot be moved to another row. */
export function authorizationUrlBinding(stateHash: string): string {
  return `oauth-authorization-url:${stateHash}`;
}
