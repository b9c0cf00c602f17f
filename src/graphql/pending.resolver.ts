// Contract fields whose capability has not landed yet: they answer with a clear error.
// Each capability removes its fields from here when it lands. (Every contract field has landed; kept as the seam for new ones.)
import { Resolver } from 'type-graphql';

@Resolver()
export class PendingResolver {}
