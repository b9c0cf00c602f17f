// Free/busy: POST /me/calendar/getSchedule for users of the sandbox tenant, computed from their default calendars.
// https://learn.microsoft.com/graph/api/calendar-getschedule
import { Router, type Request, type Response } from 'express';
import type { SandboxState } from '../state';
import { callerOf } from './caller';
import { itemsInWindow } from './calendar-view';
import { dateTimeTimeZone } from './event-input';
import { eventJson, instantOf } from './event-json';
import { graphFailures } from './graph-errors';
import { preferredTimeZone } from './query-options';
import { mailboxOf } from './read-routes';
import { odataContext } from './resource-json';

export const MAX_SCHEDULES = 20;
const DEFAULT_INTERVAL_MINUTES = 30;

// availabilityView digits, and which status wins when several items share a slot.
const DIGIT: Record<string, string> = { free: '0', tentative: '1', busy: '2', oof: '3', workingElsewhere: '4' };
const WEIGHT: Record<string, number> = { free: 0, workingElsewhere: 1, tentative: 2, busy: 3, oof: 4 };

interface ScheduleRequest {
  emails: string[];
  startMs: number;
  endMs: number;
  intervalMinutes: number;
}

function readScheduleRequest(body: Record<string, unknown>): ScheduleRequest {
  const emails = body.schedules;
  if (!Array.isArray(emails) || emails.length === 0 || emails.some((email) => typeof email !== 'string')) {
    throw graphFailures.invalidParameter("The parameter 'schedules' must list at least one SMTP address.");
  }
  if (emails.length > MAX_SCHEDULES) throw graphFailures.invalidParameter(`At most ${MAX_SCHEDULES} schedules can be requested at once.`);
  const startMs = instantOf(dateTimeTimeZone(body.startTime, 'startTime'));
  const endMs = instantOf(dateTimeTimeZone(body.endTime, 'endTime'));
  if (endMs <= startMs) throw graphFailures.invalidParameter("The parameter 'endTime' must be later than 'startTime'.");
  const intervalMinutes = body.availabilityViewInterval ?? DEFAULT_INTERVAL_MINUTES;
  if (!Number.isInteger(intervalMinutes) || (intervalMinutes as number) < 5 || (intervalMinutes as number) > 1440) {
    throw graphFailures.invalidParameter("The parameter 'availabilityViewInterval' must be between 5 and 1440 minutes.");
  }
  return { emails, startMs, endMs, intervalMinutes: intervalMinutes as number };
}

interface BusyItem { status: string; startMs: number; endMs: number }

/** One digit a slot of `intervalMinutes` from start: the weightiest status of the items overlapping it. */
export function availabilityView(items: BusyItem[], request: Pick<ScheduleRequest, 'startMs' | 'endMs' | 'intervalMinutes'>): string {
  const slotMs = request.intervalMinutes * 60_000;
  let view = '';
  for (let slotStart = request.startMs; slotStart < request.endMs; slotStart += slotMs) {
    const slotEnd = slotStart + slotMs;
    const statuses = items.filter((item) => item.startMs < slotEnd && item.endMs > slotStart && item.status in DIGIT).map((item) => item.status);
    const winner = statuses.reduce((best, status) => (WEIGHT[status] > WEIGHT[best] ? status : best), 'free');
    view += DIGIT[winner];
  }
  return view;
}

const WORKING_HOURS = {
  daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'], startTime: '08:00:00.0000000', endTime: '17:00:00.0000000', timeZone: { name: 'UTC' },
};

function scheduleOf(state: SandboxState, callerTenantId: string, email: string, request: ScheduleRequest, timeZone: string): Record<string, unknown> {
  const user = state.directory.userByEmail(email);
  if (!user || user.tenantId !== callerTenantId) {
    return {
      scheduleId: email, availabilityView: '', scheduleItems: [],
      error: { message: `The SMTP address ${email} has no mailbox associated with it.`, responseCode: 'ErrorMailRecipientNotFound' },
    };
  }
  const mailbox = state.mailboxes.mailbox(user.id);
  const calendar = mailbox.defaultCalendar;
  const viewItems = calendar ? itemsInWindow(mailbox, calendar.id, request.startMs, request.endMs) : [];
  const rendered = viewItems
    .map((item) => ({ item, json: eventJson(item.event, { timeZone, overrides: state.eventFieldOverrides }, item.occurrence) }))
    .filter(({ json }) => !json.isCancelled);
  const scheduleItems = rendered.map(({ json }) => {
    const isPrivate = json.sensitivity === 'private';
    return {
      isPrivate, status: json.showAs,
      ...(isPrivate ? {} : { subject: json.subject, location: (json.location as { displayName?: string }).displayName ?? '' }),
      start: json.start, end: json.end,
    };
  });
  const busyItems = rendered.map(({ item, json }) => ({ status: String(json.showAs), startMs: item.startMs, endMs: item.endMs }));
  return { scheduleId: email, availabilityView: availabilityView(busyItems, request), scheduleItems, workingHours: WORKING_HOURS };
}

export function scheduleRoutes(state: SandboxState): Router {
  const router = Router();
  router.post('/me/calendar/getSchedule', (req: Request, res: Response) => {
    mailboxOf(state, res);
    const request = readScheduleRequest((req.body ?? {}) as Record<string, unknown>);
    const timeZone = preferredTimeZone(req, res);
    const caller = callerOf(res).user;
    const version = String(req.baseUrl.split('/')[1] ?? 'v1.0');
    res.json({
      '@odata.context': odataContext(state, version, 'Collection(microsoft.graph.scheduleInformation)'),
      value: request.emails.map((email) => scheduleOf(state, caller.tenantId, email, request, timeZone)),
    });
  });
  return router;
}
