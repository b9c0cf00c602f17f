// Decides free/busy queries on validated arguments: asks Graph's getSchedule, keeps each mailbox's failure to that mailbox.
// https://learn.microsoft.com/graph/api/calendar-getschedule
import type { ChannelSettings } from '../config/config.types';
import type { GraphClients } from '../microsoft/graph-client';
import { preferTimeZone, zoneOrUtc } from './graph-time-zone';
import { SCHEDULE_LIMITS } from './event-input.rules';
import { toSchedule, type GraphScheduleInformation } from './schedule.mapper';
import type { Schedule } from './schedule.types';

/** A query validated at the edge (ScheduleArgs). */
export interface ScheduleQuery {
  emails: string[];
  start: Date;
  end: Date;
  intervalMinutes?: number | null;
  timeZone?: string | null;
}

/** A UTC instant as Graph's dateTimeTimeZone. */
const inUtc = (instant: Date) => ({ dateTime: instant.toISOString().slice(0, 23), timeZone: 'UTC' });

export class ScheduleService {
  constructor(private readonly graph: GraphClients) {}

  async schedule(userId: string, { channel }: ChannelSettings, query: ScheduleQuery): Promise<Schedule[]> {
    const emails = query.emails.map((email) => email.trim());
    const interval = query.intervalMinutes ?? SCHEDULE_LIMITS.defaultInterval;
    const zone = zoneOrUtc(query.timeZone);
    const answer = await this.graph.send<{ value?: GraphScheduleInformation[] }>(channel, userId, {
      method: 'POST',
      path: 'me/calendar/getSchedule',
      route: 'POST /me/calendar/getSchedule',
      body: { schedules: emails, startTime: inUtc(query.start), endTime: inUtc(query.end), availabilityViewInterval: interval },
      headers: preferTimeZone(zone),
      what: 'The calendar',
    });
    // Graph answers in the order asked; matched by address all the same, so a reordered answer cannot mislabel anyone.
    const byEmail = new Map((answer.value ?? []).map((information) => [String(information.scheduleId ?? '').toLowerCase(), information]));
    return emails.map((email) => toSchedule(byEmail.get(email.toLowerCase()) ?? { error: {} }, email, zone));
  }
}
