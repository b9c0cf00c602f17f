// @ChannelArg(): declares a field's optional `channel` argument and hands the resolver that channel's settings.
import { createParameterDecorator } from 'type-graphql';
import type { ChannelSettings } from '../config/config.types';
import type { RequestContext } from '../graphql/context';
import { Channel } from '../graphql/enums';

/** The requested channel (else DEFAULT_CHANNEL) resolved: CHANNEL_DISABLED when it cannot serve. Also a subscription's `subscribe`, which parameter decorators do not reach. */
export function requestedChannel(context: RequestContext, args: Record<string, unknown>): ChannelSettings {
  return context.channels.resolve(args.channel as Channel | null | undefined);
}

/** The requested channel resolved before the resolver runs. */
export function ChannelArg() {
  return createParameterDecorator<RequestContext>(
    ({ args, context }) => requestedChannel(context, args),
    { arg: { name: 'channel', typeFunc: () => Channel, options: { nullable: true } } },
  );
}
