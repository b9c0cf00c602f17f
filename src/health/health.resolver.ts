// GraphQL surface of liveness: health.
import { Query, Resolver } from 'type-graphql';
import { HealthService } from './health.service';
import { Health } from './health.types';

@Resolver()
export class HealthResolver {
  constructor(private readonly healthService: HealthService) {}

  @Query(() => Health, { description: 'Liveness and dependency status. Needs no authentication.' })
  health(): Promise<Health> {
    return this.healthService.check();
  }
}
