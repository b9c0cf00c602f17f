// GraphQL surface of sign-in: viewer, start/complete Microsoft sign-in, sign-out and disconnect.
import { Arg, Ctx, Mutation, Query, Resolver, Authorized } from 'type-graphql';
import { errors } from '../errors/gateway-errors';
import { requireSession } from '../graphql/auth-checker';
import type { RequestContext } from '../graphql/context';
import { Channel } from '../graphql/enums';
import type { AccountService } from './account.service';
import { MicrosoftSignInResult, MicrosoftSignInStart, Viewer } from './auth.types';
import type { SignInService } from './sign-in.service';

@Resolver()
export class AuthResolver {
  constructor(
    private readonly signIn: SignInService,
    private readonly accounts: AccountService,
  ) {}

  @Query(() => Viewer, { nullable: true, description: 'The signed-in gateway user, or null without a valid session.' })
  viewer(@Ctx() context: RequestContext): Promise<Viewer | null> | null {
    // Not async: without a session the answer is ready at once, and graphql-js completes it without a promise.
    if (!context.session) return null;
    return this.accounts.viewer(context.session.userId).then((viewer) => viewer ?? null);
  }

  @Mutation(() => MicrosoftSignInStart, { description: 'Begins the Microsoft sign-in: returns the URL to send the browser to.' })
  startMicrosoftSignIn(
    @Ctx() context: RequestContext,
    @Arg('channel', () => Channel, { nullable: true }) channel?: Channel,
    @Arg('returnTo', () => String, { nullable: true }) returnTo?: string,
    @Arg('loginHint', () => String, { nullable: true }) loginHint?: string,
  ): Promise<MicrosoftSignInStart> {
    return this.signIn.start({ channel, returnTo, loginHint, linkUserId: context.session?.userId });
  }

  @Mutation(() => MicrosoftSignInResult, { description: 'Finishes the sign-in with the code and state Microsoft redirected back with.' })
  async completeMicrosoftSignIn(
    @Ctx() context: RequestContext,
    @Arg('code') code: string,
    @Arg('state') state: string,
    @Arg('channel', () => Channel, { nullable: true }) channel?: Channel,
    @Arg('completionSecret', () => String, {
      nullable: true,
      description: 'The completionSecret startMicrosoftSignIn returned. Without the right one the sign-in is refused (BINDING_MISMATCH) and stays unspent.',
    })
    completionSecret?: string,
  ): Promise<MicrosoftSignInResult> {
    const completed = await this.signIn.complete({
      channel,
      code,
      state,
      proof: { kind: 'completionSecret', secret: completionSecret },
      callerUserId: context.session?.userId ?? null,
    });
    const viewer = await this.accounts.viewer(completed.userId);
    const connection = await this.accounts.connection(completed.userId, completed.channel);
    if (!viewer || !connection) throw errors.signInFailed('MICROSOFT_ERROR', 'The sign-in could not be stored; try again.');
    return { sessionToken: completed.session.sessionToken, sessionExpiresAt: completed.session.expiresAt, viewer, connection };
  }

  @Authorized()
  @Mutation(() => Boolean, { description: "Ends the caller's session." })
  signOut(@Ctx() context: RequestContext): Promise<boolean> {
    return this.accounts.signOut(requireSession(context).sessionId);
  }

  @Authorized()
  @Mutation(() => Boolean, { description: "Deletes the caller's stored Microsoft tokens on the channel." })
  disconnectMicrosoft(@Ctx() context: RequestContext, @Arg('channel', () => Channel, { nullable: true }) channel?: Channel): Promise<boolean> {
    return this.accounts.disconnect(requireSession(context).userId, channel);
  }
}
