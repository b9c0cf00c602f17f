// @ChannelArg(): declares a field's optional `channel` argument and hands the resolver that channel's settings.
import { createParameterDecorator } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { Channel } from '../graphql/enums';

/** The requested channel (else DEFAULT_CHANNEL) resolved before the resolver runs: CHANNEL_DISABLED when it cannot serve. */
export function ChannelArg() {
  return createParameterDecorator<RequestContext>(
    ({ args, context }) => context.channels.resolve(args.channel as Channel | null | undefined),
    { arg: { name: 'channel', typeFunc: () => Channel, options: { nullable: true } } },
  );
}
