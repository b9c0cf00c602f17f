// Translates Graph's getSchedule answer into Schedules; a mailbox's error becomes a short text of ours, never Graph's message.
import { fromGraphValue, ShowAs } from './calendar.enums';
import { toEventTime, type GraphDateTimeZone } from './event.mapper';
import type { RequestedZone } from './graph-time-zone';
import type { Schedule } from './schedule.types';

export interface GraphScheduleInformation {
  scheduleId?: string | null;
  availabilityView?: string | null;
  scheduleItems?: Array<{ status?: string | null; start: GraphDateTimeZone; end: GraphDateTimeZone; subject?: string | null; location?: string | null }> | null;
  error?: { message?: string | null; responseCode?: string | null } | null;
}

// Exchange's free/busy response codes (its message may name other people's addresses or servers, so it is not passed on).
const SCHEDULE_ERROR_TEXTS: Readonly<Record<string, string>> = {
  ErrorMailRecipientNotFound: 'no mailbox or resource has this address',
  ErrorNoFreeBusyAccess: "the caller may not see this mailbox's free/busy",
  ErrorFreeBusyGenerationFailed: 'Microsoft could not compute free/busy for this mailbox',
  ErrorProxyRequestProcessingFailed: "Microsoft could not reach this mailbox's server",
};
const GENERIC_ERROR = 'Microsoft could not give this schedule';

/** `<responseCode>: <our text>` for a code that looks like one, our generic text otherwise. */
export function scheduleErrorText(error: GraphScheduleInformation['error']): string | null {
  if (!error) return null;
  const code = error.responseCode && /^[A-Za-z][A-Za-z0-9_.]{0,79}$/.test(error.responseCode) ? error.responseCode : undefined;
  return code ? `${code}: ${SCHEDULE_ERROR_TEXTS[code] ?? GENERIC_ERROR}.` : `${GENERIC_ERROR}.`;
}

export function toSchedule(information: GraphScheduleInformation, askedEmail: string, zone: RequestedZone): Schedule {
  return {
    email: information.scheduleId ?? askedEmail,
    // Graph answers an empty view for a mailbox it could not read.
    availabilityView: information.availabilityView || null,
    items: (information.scheduleItems ?? []).map((item) => ({
      status: fromGraphValue(ShowAs, item.status) ?? ShowAs.UNKNOWN,
      start: toEventTime(item.start, zone),
      end: toEventTime(item.end, zone),
      subject: item.subject || null,
      location: item.location || null,
    })),
    error: scheduleErrorText(information.error),
  };
}
