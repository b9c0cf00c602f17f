// Reads the caller's Microsoft profile from Graph /me on a channel.
import type { MicrosoftProfile } from '../auth/auth.types';
import type { ChannelResolver } from '../channels/channel-resolver';
import type { Channel } from '../config/channels';
import type { GraphClients } from '../microsoft/graph-client';

const PROFILE_FIELDS = ['id', 'displayName', 'givenName', 'surname', 'mail', 'userPrincipalName', 'jobTitle', 'officeLocation', 'preferredLanguage'] as const;

type GraphUser = Partial<Record<(typeof PROFILE_FIELDS)[number], string | null>> & { id: string };

export class MicrosoftProfileService {
  constructor(private readonly graph: GraphClients, private readonly channels: ChannelResolver) {}

  async profile(userId: string, channelArg?: Channel | null): Promise<MicrosoftProfile> {
    const { channel } = this.channels.resolve(channelArg);
    const user = await this.graph.send<GraphUser>(channel, userId, { method: 'GET', path: 'me', route: 'GET /me', select: PROFILE_FIELDS, what: 'The profile' });
    return {
      id: user.id,
      displayName: user.displayName ?? null,
      givenName: user.givenName ?? null,
      surname: user.surname ?? null,
      mail: user.mail ?? null,
      userPrincipalName: user.userPrincipalName ?? user.mail ?? '',
      jobTitle: user.jobTitle ?? null,
      officeLocation: user.officeLocation ?? null,
      preferredLanguage: user.preferredLanguage ?? null,
    };
  }
}
