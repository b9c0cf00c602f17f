// Decides Microsoft sign-in: starts it (PKCE, state, nonce, completion secret), completes it (proof of the starting client, one-time state, code redemption, identity checks, session).
import { CryptoProvider, type AuthenticationResult } from '@azure/msal-node';
import type { Logger } from 'pino';
import type { ChannelResolver } from '../channels/channel-resolver';
import { parseChannelName, type Channel } from '../config/channels';
import type { ChannelSettings } from '../config/config.types';
import type { TokenCipher } from '../crypto/token-cipher';
import { randomToken, sha256Hex } from '../crypto/secrets';
import { errors, GatewayError } from '../errors/gateway-errors';
import type { MsalClients } from '../microsoft/msal-clients';
import type { OpenedSession, SessionService } from '../sessions/sessions.service';
import { graphScopes, type TokenService } from '../tokens/token.service';
import type { TokensRepository } from '../tokens/tokens.repository';
import type { UsersRepository } from '../users/users.repository';
import { checkIdTokenClaims, type VerifiedIdentity } from './id-token-checks';
import type { OauthStatesRepository, PendingSignIn } from './oauth-states.repository';
import { authorizationUrlBinding } from './browser-binding.service';
import { allowedReturnUrl } from './return-to';
import { adminConsentUrl } from './admin-consent';
import { refusalOfMsalError, refusalOfRedirect, signInErrors, signInFailureFor, type MicrosoftRefusal } from './sign-in-errors';
import { SIGN_IN_START_PATH } from './sign-in-paths';
import { proofMatches, type SignInProof } from './sign-in-proof';

/** How long a started sign-in may be completed. */
export const STATE_LIFETIME_MS = 10 * 60_000;

export interface SignInServiceDependencies {
  channels: ChannelResolver;
  clients: MsalClients;
  states: OauthStatesRepository;
  cipher: TokenCipher;
  users: UsersRepository;
  tokens: TokensRepository;
  tokenService: TokenService;
  sessions: SessionService;
  allowedReturnOrigins: string[];
  /** The identity platform's host (MICROSOFT_AUTHORITY_HOST, or the sandbox's): admin consent links point there. */
  authorityHost: string;
  /** The gateway's public base URL (PUBLIC_URL; the bound port when it names port 0), where the start route is served. */
  publicUrl: () => string;
  logger: Logger;
  /** Metrics hook: each session a completed sign-in hands out. */
  onSessionOpened?: () => void;
  now?: () => number;
}

export interface StartedSignIn {
  /** The gateway's start route, which binds the browser and redirects to Microsoft. */
  authorizationUrl: string;
  state: string;
  /** Only the starting app holds it; completeMicrosoftSignIn needs it. Stored only as a hash. */
  completionSecret: string;
  expiresAt: Date;
  channel: Channel;
}

export interface CompletedSignIn {
  userId: string;
  channel: Channel;
  session: OpenedSession;
  returnTo: string | null;
}

export class SignInService {
  private readonly crypto = new CryptoProvider();
  private readonly now: () => number;

  constructor(private readonly deps: SignInServiceDependencies) {
    this.now = deps.now ?? Date.now;
  }

  /** `input` is validated at the edge (StartSignInArgs): returnTo is on ALLOWED_RETURN_URLS, the login hint short. */
  async start(settings: ChannelSettings, input: { returnTo?: string | null; loginHint?: string | null; linkUserId?: string }): Promise<StartedSignIn> {
    // Normalised (and, should a caller skip the edge, still never pointing elsewhere).
    const returnTo = input.returnTo ? (allowedReturnUrl(input.returnTo, this.deps.allowedReturnOrigins) ?? null) : null;
    const state = randomToken();
    const nonce = randomToken();
    const completionSecret = randomToken();
    const { verifier, challenge } = await this.crypto.generatePkceCodes();
    const now = this.now();
    const stateHash = sha256Hex(state);
    let microsoftUrl: string;
    try {
      microsoftUrl = await this.deps.clients.channelApp(settings.channel).getAuthCodeUrl({
        scopes: settings.scopes,
        redirectUri: settings.redirectUri,
        state,
        nonce,
        codeChallenge: challenge,
        codeChallengeMethod: 'S256',
        responseMode: 'query',
        ...(input.loginHint ? { loginHint: input.loginHint } : {}),
      });
    } catch (error) {
      this.deps.logger.warn({ channel: settings.channel, errorCode: errorCodeOf(error) }, 'could not build the Microsoft authorization URL');
      throw errors.upstreamUnavailable('The Microsoft identity platform could not be reached to start the sign-in; try again shortly.');
    }
    const expiresAt = new Date(now + STATE_LIFETIME_MS);
    await this.deps.states.create({
      stateHash,
      channel: settings.channel,
      codeVerifierEncrypted: this.deps.cipher.encrypt(verifier, verifierBinding(stateHash)),
      // Not a credential, but nothing of a pending sign-in needs to be readable at rest.
      nonce: this.deps.cipher.encrypt(nonce, nonceBinding(stateHash)),
      returnTo,
      linkUserId: input.linkUserId ?? null,
      completionSecretHash: sha256Hex(completionSecret),
      browserBindingHash: null,
      // Carries the login hint (an e-mail address) and the PKCE challenge: sealed like the rest.
      authorizationUrlEncrypted: this.deps.cipher.encrypt(microsoftUrl, authorizationUrlBinding(stateHash)),
      createdAt: new Date(now),
      expiresAt,
    });
    const authorizationUrl = new URL(`${this.deps.publicUrl()}${SIGN_IN_START_PATH}`);
    authorizationUrl.searchParams.set('state', state);
    return { authorizationUrl: authorizationUrl.toString(), state, completionSecret, expiresAt, channel: settings.channel };
  }

  /**
   * The GraphQL mutation completes on the channel it resolved (the requested one, else DEFAULT_CHANNEL), which must be
   * the one the sign-in started on; the browser callback has no channel and takes the state's.
   */
  async complete(input: {
    channel?: ChannelSettings;
    code: string;
    state: string;
    /** What proves the completion comes from the client that started the sign-in. */
    proof: SignInProof;
    /** The gateway user whose session completes the sign-in; a linking sign-in completes only for the user who started it. */
    callerUserId?: string | null;
  }): Promise<CompletedSignIn> {
    const requested = input.channel?.channel;
    await this.refuseBeforeSpending(input.state, requested, input.proof);
    const pending = await this.consumeState(input.state);
    // Otherwise whoever finishes a linking URL (a victim it was sent to) would join their Microsoft account to the starter's user.
    if (pending.linkUserId && pending.linkUserId !== input.callerUserId) throw signInErrors.linkNeedsStarter();
    const startedOn = parseChannelName(pending.channel);
    if (!startedOn || (requested && requested !== startedOn)) throw signInErrors.channelMismatch(pending.channel);
    const settings = this.deps.channels.resolve(startedOn);
    if (!input.code || input.code.length > 8192) throw signInErrors.codeRejected();
    const { codeVerifier, nonce } = this.openSecrets(pending);
    const { result, serializedCache } = await this.redeem(startedOn, {
      code: input.code,
      codeVerifier,
      nonce,
      scopes: graphScopes(settings),
      redirectUri: settings.redirectUri,
    });
    const identity = this.verifiedIdentity(settings, result);
    const userId = await this.userFor(startedOn, identity, pending.linkUserId);
    await this.deps.tokenService.saveSignIn(userId, startedOn, {
      microsoftUserId: identity.objectId,
      tenantId: identity.tenantId,
      homeAccountId: result.account!.homeAccountId,
      email: identity.email,
      displayName: identity.displayName,
      scopes: result.scopes,
      accessTokenExpiresAt: result.expiresOn ?? null,
      accessToken: result.accessToken,
      serializedCache,
    });
    const session = await this.deps.sessions.open(userId, new Date(this.now()));
    this.deps.onSessionOpened?.();
    return { userId, channel: startedOn, session, returnTo: pending.returnTo };
  }

  /**
   * For the browser callback: a pending sign-in that links a connection to a signed-in user, which the callback must
   * leave unspent so the app completes it with that user's session (completeMicrosoftSignIn).
   */
  async pendingLink(state: string | undefined, proof: SignInProof): Promise<{ returnTo: string | null; channel: string } | undefined> {
    const pending = await this.refuseBeforeSpending(state, undefined, proof);
    return pending?.linkUserId ? { returnTo: pending.returnTo, channel: pending.channel.toUpperCase() } : undefined;
  }

  /**
   * Microsoft redirected back with an error: spends the state, so it cannot be completed later, and says why in the
   * contract's terms (with the admin consent link of the channel the sign-in started on). Only the browser the sign-in
   * is bound to spends it: anyone else who learnt a state could otherwise end someone else's sign-in.
   */
  async refusedByMicrosoft(state: string | undefined, proof: SignInProof, error: string, description: string | undefined): Promise<GatewayError> {
    let startedOn: Channel | undefined;
    try {
      const pending = await this.refuseBeforeSpending(state, undefined, proof).catch(() => undefined);
      if (pending) {
        const consumed = await this.deps.states.consume(pending.stateHash, new Date(this.now()));
        if (consumed.status === 'consumed') startedOn = parseChannelName(consumed.pending.channel);
      }
    } catch {
      // The state expires on its own; the user still hears why the sign-in failed.
      this.deps.logger.warn('could not spend the state of a refused sign-in');
    }
    return this.failureFor(startedOn, refusalOfRedirect(error, description), 'Microsoft redirected back with an error');
  }

  /** Maps Microsoft's refusal and logs its safe codes (the OAuth error and the AADSTS number, never the description). */
  private failureFor(channel: Channel | undefined, refusal: MicrosoftRefusal, logMessage: string): GatewayError {
    const settings = this.deps.channels.resolve(channel);
    const { error, logCode, aadsts } = signInFailureFor(refusal, () => adminConsentUrl(this.deps.authorityHost, settings));
    this.deps.logger.warn({ channel: settings.channel, errorCode: logCode, aadsts, reason: error.extensions.reason }, logMessage);
    return error;
  }

  private openSecrets(pending: PendingSignIn): { codeVerifier: string; nonce: string } {
    try {
      return {
        codeVerifier: this.deps.cipher.decrypt(pending.codeVerifierEncrypted, verifierBinding(pending.stateHash)),
        nonce: this.deps.cipher.decrypt(pending.nonce, nonceBinding(pending.stateHash)),
      };
    } catch {
      // Keys changed since the sign-in started: it cannot be finished.
      throw signInErrors.unknownState();
    }
  }

  /** msal-node checked the nonce; audience, tenant (configured and allowed) and expiry are ours to check. */
  private verifiedIdentity(settings: ChannelSettings, result: AuthenticationResult): VerifiedIdentity {
    const checked = checkIdTokenClaims(result.idTokenClaims as Record<string, unknown> | undefined, {
      clientId: settings.clientId ?? '',
      configuredTenant: settings.tenantId,
      allowedTenants: settings.allowedTenants,
      nowSeconds: Math.floor(this.now() / 1000),
    });
    if (checked.ok) return checked.identity;
    this.deps.logger.warn({ channel: settings.channel, problem: checked.problem }, 'id token failed a check; sign-in refused');
    throw checked.problem === 'tenant_not_allowed' ? signInErrors.tenantNotAllowed() : signInErrors.untrustedAnswer();
  }

  /**
   * Refusals that leave the state unspent, so the rightful client can still complete: a completion that does not
   * prove it comes from the starting client (else anyone holding a stolen code+state link could burn it, and a victim
   * could be signed in as the attacker), and, as the app's mistake, one on another channel.
   */
  private async refuseBeforeSpending(state: string | undefined, requested: Channel | undefined, proof: SignInProof): Promise<PendingSignIn | undefined> {
    if (!state || state.length > 256) return undefined;
    const pending = await this.deps.states.peek(sha256Hex(state));
    if (!pending) return undefined;
    if (!proofMatches(pending, proof)) throw signInErrors.bindingMismatch();
    if (requested && parseChannelName(pending.channel) !== requested) throw signInErrors.channelMismatch(pending.channel);
    return pending;
  }

  private async consumeState(state: string): Promise<PendingSignIn> {
    if (!state || state.length > 256) throw signInErrors.unknownState();
    const consumed = await this.deps.states.consume(sha256Hex(state), new Date(this.now()));
    if (consumed.status !== 'consumed') throw consumed.status === 'unknown' ? signInErrors.unknownState() : signInErrors.reusedState();
    if (consumed.pending.expiresAt.getTime() <= this.now()) throw signInErrors.expiredState();
    return consumed.pending;
  }

  /** Redeems the code on a fresh application, so its cache holds exactly this user's tokens. */
  private async redeem(
    channel: Channel,
    request: { code: string; codeVerifier: string; nonce: string; scopes: string[]; redirectUri: string },
  ): Promise<{ result: AuthenticationResult; serializedCache: string }> {
    const app = this.deps.clients.redemptionApp(channel);
    try {
      const result = await app.acquireTokenByCode(request);
      if (!result?.account || !result.accessToken) throw Object.assign(new Error('incomplete'), { errorCode: 'incomplete_response' });
      return { result, serializedCache: app.getTokenCache().serialize() };
    } catch (error) {
      if (error instanceof GatewayError) throw error;
      throw this.failureFor(channel, refusalOfMsalError(error), 'Microsoft refused the sign-in');
    }
  }

  /** The Microsoft identity decides the user; a fresh identity joins the signed-in caller who started the sign-in. */
  private async userFor(channel: Channel, identity: VerifiedIdentity, linkUserId: string | null): Promise<string> {
    const { users, tokens } = this.deps;
    const existing =
      (await tokens.findUserIdByIdentity(channel, identity.tenantId, identity.objectId)) ??
      (await users.findByIdentity(identity.tenantId, identity.objectId))?.id;
    if (existing) {
      const user = await users.findById(existing);
      if (user && user.tenantId === identity.tenantId && user.microsoftUserId === identity.objectId) {
        await users.updateProfile(existing, { displayName: identity.displayName, email: identity.email });
      }
      return existing;
    }
    if (linkUserId && (await users.findById(linkUserId))) return linkUserId;
    // Two first sign-ins of one identity may race here; both must end up with the same user.
    const created = await users.findOrCreateByIdentity({
      tenantId: identity.tenantId,
      microsoftUserId: identity.objectId,
      displayName: identity.displayName,
      email: identity.email,
    });
    return created.id;
  }
}

function verifierBinding(stateHash: string): string {
  return `oauth-state:${stateHash}`;
}

function nonceBinding(stateHash: string): string {
  return `oauth-nonce:${stateHash}`;
}

function errorCodeOf(error: unknown): string {
  const code = (error as { errorCode?: unknown })?.errorCode;
  return typeof code === 'string' ? code : 'unknown_error';
}
