// Seeds each demo mailbox: a default calendar and a read-only "Company holidays" one, with a realistic fortnight around today.
import { newEventFromBody } from './graph/event-input';
import type { Mailbox, StoredEvent } from './graph/mailbox-store';
import type { SandboxUser } from './types';

const DAY_MS = 86_400_000;

interface DemoEvent {
  subject: string;
  dayOffset: number;
  start?: string; // 'HH:mm'; absent for all-day events
  end?: string;
  timeZone: string;
  body?: string;
  location?: string;
  attendeeCount?: number;
  isOnlineMeeting?: boolean;
  showAs?: string;
  importance?: string;
  sensitivity?: string;
  isCancelled?: boolean;
  weeklyOn?: string[];
}

/** Times are given in several zones on purpose, with Windows and IANA names, as real mailboxes hold them. */
const DEFAULT_CALENDAR: DemoEvent[] = [
  { subject: 'Team stand-up', dayOffset: -7, start: '09:30', end: '09:45', timeZone: 'W. Europe Standard Time', isOnlineMeeting: true, attendeeCount: 3, weeklyOn: ['monday', 'wednesday', 'friday'], body: 'Daily sync: yesterday, today, blockers.' },
  { subject: 'Retrospective', dayOffset: -5, start: '15:00', end: '16:00', timeZone: 'UTC', location: 'Conference Room Baker', attendeeCount: 3 },
  { subject: '1:1 with manager', dayOffset: -2, start: '11:00', end: '11:30', timeZone: 'Europe/London', location: 'Office 18/2111', attendeeCount: 1 },
  { subject: 'Customer call with Fabrikam', dayOffset: 0, start: '08:00', end: '08:30', timeZone: 'America/Los_Angeles', isOnlineMeeting: true, attendeeCount: 2, importance: 'high', body: '<p>Agenda: renewal and the <b>Q3 roadmap</b>.</p>' },
  { subject: 'Quarterly planning', dayOffset: 1, start: '10:00', end: '11:30', timeZone: 'Eastern Standard Time', location: 'Conference Room Rainier', attendeeCount: 3, body: 'Bring your team\'s goals for next quarter.' },
  { subject: 'Lunch with Alex', dayOffset: 2, start: '12:00', end: '13:00', timeZone: 'Europe/London', location: "Harry's Bar", attendeeCount: 1, showAs: 'tentative' },
  { subject: 'Contoso offsite', dayOffset: 3, timeZone: 'UTC', location: 'Lakeside Lodge', showAs: 'oof', body: 'The whole department, all day.' },
  { subject: 'Vendor demo', dayOffset: 4, start: '14:00', end: '15:00', timeZone: 'Romance Standard Time', attendeeCount: 2, isCancelled: true, showAs: 'free' },
  { subject: 'APAC sync', dayOffset: 5, start: '09:00', end: '10:00', timeZone: 'Tokyo Standard Time', isOnlineMeeting: true, attendeeCount: 2 },
  { subject: 'Dentist', dayOffset: 6, start: '17:30', end: '18:15', timeZone: 'UTC', sensitivity: 'private', showAs: 'oof' },
  { subject: 'Design review', dayOffset: 8, start: '13:00', end: '14:30', timeZone: 'Pacific Standard Time', location: 'Teams', isOnlineMeeting: true, attendeeCount: 3 },
];

const HOLIDAYS: DemoEvent[] = [
  { subject: 'Company anniversary', dayOffset: -6, timeZone: 'UTC', showAs: 'free' },
  { subject: 'Spring holiday', dayOffset: 9, timeZone: 'UTC', showAs: 'oof' },
];

const dateAt = (baseDay: number, offset: number) => new Date((baseDay + offset) * DAY_MS).toISOString().slice(0, 10);

function requestBody(event: DemoEvent, baseDay: number, colleagues: SandboxUser[]): Record<string, unknown> {
  const date = dateAt(baseDay, event.dayOffset);
  const isAllDay = !event.start;
  const external = { emailAddress: { name: 'Pat Kline (Fabrikam)', address: 'pat.kline@fabrikam.example' }, type: 'optional' };
  const attendees = [...colleagues.map((user) => ({ emailAddress: { name: user.displayName, address: user.email }, type: 'required' })), external]
    .slice(0, event.attendeeCount ?? 0);
  return {
    subject: event.subject,
    body: { contentType: event.body?.startsWith('<') ? 'html' : 'text', content: event.body ?? '' },
    start: { dateTime: isAllDay ? `${date}T00:00:00` : `${date}T${event.start}:00`, timeZone: event.timeZone },
    end: { dateTime: isAllDay ? `${dateAt(baseDay, event.dayOffset + 1)}T00:00:00` : `${date}T${event.end}:00`, timeZone: event.timeZone },
    isAllDay,
    location: { displayName: event.location ?? '' },
    attendees,
    isOnlineMeeting: event.isOnlineMeeting ?? false,
    showAs: event.showAs ?? 'busy',
    importance: event.importance ?? 'normal',
    sensitivity: event.sensitivity ?? 'normal',
    isCancelled: event.isCancelled ?? false,
    ...(event.weeklyOn ? { recurrence: { pattern: { type: 'weekly', interval: 1, daysOfWeek: event.weeklyOn, firstDayOfWeek: 'monday' }, range: { type: 'noEnd', startDate: date, recurrenceTimeZone: event.timeZone } } } : {}),
  };
}

function addEvents(mailbox: Mailbox, owner: SandboxUser, calendarId: string, events: DemoEvent[], colleagues: SandboxUser[], now: number, organizer?: StoredEvent['organizer']): void {
  const baseDay = Math.floor(now / DAY_MS);
  for (const event of events) {
    const stored = newEventFromBody(requestBody(event, baseDay, colleagues), owner, calendarId, now - 20 * DAY_MS);
    if (organizer) Object.assign(stored, { organizer, isOrganizer: false, responseStatus: { response: 'notResponded', time: '0001-01-01T00:00:00Z' } });
    mailbox.addEvent(stored);
  }
}

export function seedMailbox(mailbox: Mailbox, owner: SandboxUser, everyone: SandboxUser[], now: number): void {
  // Colleagues are people of the owner's own organization.
  const colleagues = everyone.filter((user) => user.id !== owner.id && user.tenantId === owner.tenantId);
  const owned = { name: owner.displayName, address: owner.email };
  const calendar = mailbox.addCalendar({ name: 'Calendar', color: 'auto', hexColor: '', isDefaultCalendar: true, canEdit: true, canShare: true, canViewPrivateItems: true, isRemovable: false, owner: owned });
  const hr = { name: 'Contoso HR', address: 'hr@contoso.example' };
  const holidays = mailbox.addCalendar({ name: 'Company holidays', color: 'lightGreen', hexColor: '#87d28e', isDefaultCalendar: false, canEdit: false, canShare: false, canViewPrivateItems: false, isRemovable: true, owner: hr });
  addEvents(mailbox, owner, calendar.id, DEFAULT_CALENDAR, colleagues, now);
  addEvents(mailbox, owner, holidays.id, HOLIDAYS, [], now, { emailAddress: hr });
}
