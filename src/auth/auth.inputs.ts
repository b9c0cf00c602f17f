// GraphQL argument classes of sign-in; each argument's rules sit on it, the ALLOWED_RETURN_URLS one included.
import { ArgsType, Field } from 'type-graphql';
import type { InputFailure } from '../errors/gateway-errors';
import { InputRule } from '../graphql/input-rule';
import type { InputSettings, ValidatesAsWhole } from '../graphql/input-validation';
import { allowedReturnUrl } from './return-to';

// Microsoft's login_hint is a user name or e-mail address; far longer is not one.
const LOGIN_HINT_LENGTH = 256;

@ArgsType()
export class StartSignInArgs implements ValidatesAsWhole {
  @Field(() => String, { nullable: true })
  returnTo?: string | null;

  @Field(() => String, { nullable: true })
  @InputRule<string>('hasAtMost256Characters', (hint) => hint.length <= LOGIN_HINT_LENGTH, `must be at most ${LOGIN_HINT_LENGTH} characters.`)
  loginHint?: string | null;

  /** returnTo must point at an origin on ALLOWED_RETURN_URLS: the list is the gateway's setting, not the class's. */
  failuresWith(settings: InputSettings): InputFailure[] {
    if (!this.returnTo || allowedReturnUrl(this.returnTo, settings.allowedReturnOrigins)) return [];
    return [{ field: 'returnTo', message: 'returnTo must be an http(s) URL on one of the origins listed in ALLOWED_RETURN_URLS.' }];
  }
}
