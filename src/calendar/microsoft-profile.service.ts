// Reads the caller's Microsoft profile from Graph /me on a channel.
import type { MicrosoftProfile } from '../auth/auth.types';
import type { ChannelSettings } from '../config/config.types';
import type { GraphClients } from '../microsoft/graph-client';

const PROFILE_FIELDS = ['id', 'displayName', 'givenName', 'surname', 'mail', 'userPrincipalName', 'jobTitle', 'officeLocation', 'preferredLanguage'] as const;

type GraphUser = Partial<Record<(typeof PROFILE_FIELDS)[number], string | null>> & { id: string };

export class MicrosoftProfileService {
  constructor(private readonly graph: GraphClients) {}

  async profile(userId: string, { channel }: ChannelSettings): Promise<MicrosoftProfile> {
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
