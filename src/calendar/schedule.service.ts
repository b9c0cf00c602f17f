// Decides free/busy queries: checks the arguments, asks Graph's getSchedule, keeps each mailbox's failure to that mailbox.
// https://learn.microsoft.com/graph/api/calendar-getschedule
import type { ChannelResolver } from '../channels/channel-resolver';
import type { Channel } from '../config/channels';
import { errors } from '../errors/gateway-errors';
import type { GraphClients } from '../microsoft/graph-client';
import { checkTimeZone, checkWindow, EMAIL_ADDRESS } from './event-input.validation';
import { preferTimeZone, UTC_ZONE } from './graph-time-zone';
import { toSchedule, type GraphScheduleInformation } from './schedule.mapper';
import type { Schedule } from './schedule.types';

export interface ScheduleQuery {
  channel?: Channel | null;
  emails: string[];
  start: Date;
  end: Date;
  intervalMinutes?: number | null;
  timeZone?: string | null;
}

/** Graph's bounds: at most 20 schedules a call, slots of 5 to 1440 minutes (30 by default). */
export const SCHEDULE_LIMITS = { emails: 20, minInterval: 5, maxInterval: 1440, defaultInterval: 30 } as const;

/** A UTC instant as Graph's dateTimeTimeZone. */
const inUtc = (instant: Date) => ({ dateTime: instant.toISOString().slice(0, 23), timeZone: 'UTC' });

export class ScheduleService {
  constructor(private readonly graph: GraphClients, private readonly channels: ChannelResolver) {}

  async schedule(userId: string, query: ScheduleQuery): Promise<Schedule[]> {
    const emails = checkEmails(query.emails);
    checkWindow(query.start, query.end);
    const interval = checkInterval(query.intervalMinutes);
    const zone = query.timeZone ? checkTimeZone('timeZone', query.timeZone) : UTC_ZONE;
    const { channel } = this.channels.resolve(query.channel);
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

function checkEmails(emails: string[]): string[] {
  if (!Array.isArray(emails) || emails.length < 1 || emails.length > SCHEDULE_LIMITS.emails) {
    throw errors.badUserInput('emails', `emails must list 1 to ${SCHEDULE_LIMITS.emails} addresses.`);
  }
  return emails.map((email, index) => {
    const trimmed = typeof email === 'string' ? email.trim() : '';
    if (trimmed.length > 254 || !EMAIL_ADDRESS.test(trimmed)) throw errors.badUserInput(`emails[${index}]`, `emails[${index}] is not a valid email address.`);
    return trimmed;
  });
}

function checkInterval(intervalMinutes: number | null | undefined): number {
  if (intervalMinutes === null || intervalMinutes === undefined) return SCHEDULE_LIMITS.defaultInterval;
  if (!Number.isInteger(intervalMinutes) || intervalMinutes < SCHEDULE_LIMITS.minInterval || intervalMinutes > SCHEDULE_LIMITS.maxInterval) {
    throw errors.badUserInput('intervalMinutes', `intervalMinutes must be between ${SCHEDULE_LIMITS.minInterval} and ${SCHEDULE_LIMITS.maxInterval}.`);
  }
  return intervalMinutes;
}
