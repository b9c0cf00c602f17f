// Viewer's connections, read only when a query selects them: `viewer { id }` needs no token store at all.
import { FieldResolver, Resolver, Root } from 'type-graphql';
import type { AccountService } from './account.service';
import { MicrosoftConnection, Viewer } from './auth.types';

@Resolver(() => Viewer)
export class ViewerResolver {
  constructor(private readonly accounts: AccountService) {}

  @FieldResolver(() => [MicrosoftConnection])
  connections(@Root() viewer: Viewer): MicrosoftConnection[] | Promise<MicrosoftConnection[]> {
    return viewer.connections ?? this.accounts.connections(viewer.id);
  }
}
