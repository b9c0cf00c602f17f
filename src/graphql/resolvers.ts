// Every resolver class of the schema, with how to build it from the services.
import { AuthResolver } from '../auth/auth.resolver';
import { ViewerResolver } from '../auth/viewer.resolver';
import { CalendarEventsResolver } from '../calendar/calendar-events.resolver';
import { CalendarResolver } from '../calendar/calendar.resolver';
import { MeetingResolver } from '../calendar/meeting.resolver';
import { ScheduleResolver } from '../calendar/schedule.resolver';
import { HealthResolver } from '../health/health.resolver';
import { TokenStatsResolver } from '../health/token-stats.resolver';
import { LiveCalendarResolver } from '../live/live-calendar.resolver';
import type { GatewayServices } from '../services';
import { WebhooksResolver } from '../webhooks/webhooks.resolver';
import type { ResolverBinding } from './build-schema';

export function resolverBindings(services: GatewayServices): ResolverBinding[] {
  return [
    { resolver: HealthResolver, instance: new HealthResolver(services.health) },
    { resolver: TokenStatsResolver, instance: new TokenStatsResolver(services.tokenStats) },
    { resolver: AuthResolver, instance: new AuthResolver(services.signIn, services.accounts) },
    { resolver: ViewerResolver, instance: new ViewerResolver(services.accounts) },
    { resolver: CalendarResolver, instance: new CalendarResolver(services.calendar, services.microsoftProfile) },
    { resolver: LiveCalendarResolver, instance: new LiveCalendarResolver() },
    { resolver: MeetingResolver, instance: new MeetingResolver(services.meetings) },
    { resolver: WebhooksResolver, instance: new WebhooksResolver(services.webhookDelivery) },
    { resolver: CalendarEventsResolver, instance: new CalendarEventsResolver(services.calendarsEvents) },
    { resolver: ScheduleResolver, instance: new ScheduleResolver(services.schedule) },
  ];
}

/** The schema's shape alone (for emitting SDL): resolvers are never called. */
export function schemaOnlyBindings(): ResolverBinding[] {
  return resolverBindings(new Proxy({}, { get: () => ({}) }) as GatewayServices).map(({ resolver }) => ({ resolver, instance: {} }));
}
