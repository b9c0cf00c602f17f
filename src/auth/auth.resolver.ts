// GraphQL surface of sign-in: viewer, start/complete Microsoft sign-in, sign-out and disconnect.
import { Arg, Args, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { ChannelArg } from '../channels/channel-arg';
import type { ChannelSettings } from '../config/config.types';
import { errors } from '../errors/gateway-errors';
import type { RequestContext } from '../graphql/context';
import { CurrentSession, type CurrentSessionValue } from '../graphql/current-session';
import { CallsMicrosoft, PER_HOUR, PER_MINUTE, RateLimit } from '../guards/field-rules';
import type { AccountService } from './account.service';
import { StartSignInArgs } from './auth.inputs';
import { MicrosoftSignInResult, MicrosoftSignInStart, Viewer } from './auth.types';
import type { SignInService } from './sign-in.service';

// Sign-in start is cheap for an attacker and costly for us (state rows, Microsoft redirects); completion is rarer still.
@Resolver()
export class AuthResolver {
  constructor(
    private readonly signIn: SignInService,
    private readonly accounts: AccountService,
  ) {}

  @RateLimit(100, PER_MINUTE)
  @Query(() => Viewer, { nullable: true, description: 'The signed-in gateway user, or null without a valid session.' })
  viewer(@Ctx() context: RequestContext): Promise<Viewer | null> | null {
    // Not async: without a session the answer is ready at once, and graphql-js completes it without a promise.
    if (!context.session) return null;
    return this.accounts.viewer(context.session.userId).then((viewer) => viewer ?? null);
  }

  @RateLimit(10, PER_MINUTE)
  @CallsMicrosoft()
  @Mutation(() => MicrosoftSignInStart, { description: 'Begins the Microsoft sign-in: returns the URL to send the browser to.' })
  startMicrosoftSignIn(@Ctx() context: RequestContext, @ChannelArg() channel: ChannelSettings, @Args() args: StartSignInArgs): Promise<MicrosoftSignInStart> {
    return this.signIn.start(channel, { returnTo: args.returnTo, loginHint: args.loginHint, linkUserId: context.session?.userId });
  }

  @RateLimit(20, PER_HOUR)
  @CallsMicrosoft()
  @Mutation(() => MicrosoftSignInResult, { description: 'Finishes the sign-in with the code and state Microsoft redirected back with.' })
  async completeMicrosoftSignIn(
    @Ctx() context: RequestContext,
    @Arg('code') code: string,
    @Arg('state') state: string,
    @ChannelArg() channel: ChannelSettings,
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
  signOut(@CurrentSession() session: CurrentSessionValue): Promise<boolean> {
    return this.accounts.signOut(session.sessionId);
  }

  @Authorized()
  @Mutation(() => Boolean, { description: "Deletes the caller's stored Microsoft tokens on the channel." })
  disconnectMicrosoft(@CurrentSession() session: CurrentSessionValue, @ChannelArg() channel: ChannelSettings): Promise<boolean> {
    return this.accounts.disconnect(session.userId, channel);
  }
}
