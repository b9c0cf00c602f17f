// Meeting requests inside the tenant: an attendee who is a sandbox user gets the meeting in their own calendar, and
// their response reaches the organizer's copy, as Exchange does for mailboxes of one organization.
import type { SandboxState } from '../state';
import { newChangeKey, type StoredEvent } from './mailbox-store';

const ZERO_TIME = '0001-01-01T00:00:00Z';
const sameAddress = (left: string, right: string) => left.toLowerCase() === right.toLowerCase();

/** Puts a copy of a new meeting in the default calendar of every attendee who has a mailbox here. */
export function deliverInvitations(state: SandboxState, meeting: StoredEvent): void {
  const organizerAddress = meeting.organizer.emailAddress.address;
  for (const attendee of meeting.attendees) {
    const user = state.directory.userByEmail(attendee.emailAddress.address);
    if (!user || sameAddress(user.email, organizerAddress) || !state.mailboxes.has(user.id)) continue;
    const mailbox = state.mailboxes.mailbox(user.id);
    const calendar = mailbox.calendars.find((candidate) => candidate.isDefaultCalendar);
    if (!calendar) continue;
    const { key: _key, id: _id, transactionId: _transactionId, ...fields } = structuredClone(meeting);
    mailbox.addEvent({
      ...fields, calendarId: calendar.id, isOrganizer: false, changeKey: newChangeKey(),
      responseStatus: { response: 'notResponded', time: ZERO_TIME }, exceptions: {}, deletedOccurrenceDays: [],
    });
  }
}

/** Records an attendee's response on the organizer's copy of the meeting (same iCalUId), when that copy is here. */
export function notifyOrganizer(state: SandboxState, meeting: StoredEvent, attendeeAddress: string, status: StoredEvent['responseStatus']): void {
  const organizer = state.directory.userByEmail(meeting.organizer.emailAddress.address);
  if (!organizer || !state.mailboxes.has(organizer.id)) return;
  const original = state.mailboxes.mailbox(organizer.id).eventsIn().find((event) => event.isOrganizer && event.iCalUId === meeting.iCalUId);
  const attendee = original?.attendees.find((candidate) => sameAddress(candidate.emailAddress.address, attendeeAddress));
  if (!original || !attendee) return;
  attendee.status = { ...status };
  original.changeKey = newChangeKey();
  original.lastModifiedDateTime = state.now();
}
