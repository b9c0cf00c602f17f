// In-memory mailboxes: each user's calendars and events, stored as Exchange would (wall-clock times in a named zone).
import { randomBytes } from 'node:crypto';
import { decodeItemId, newItemId } from '../ids';

export interface EmailAddress {
  name: string;
  address: string;
}

export interface DateTimeTimeZone {
  /** 'YYYY-MM-DDTHH:mm:ss.fffffff', no offset. */
  dateTime: string;
  /** The zone name as the client gave it (Windows or IANA). */
  timeZone: string;
}

export interface Attendee {
  type: 'required' | 'optional' | 'resource';
  status: { response: string; time: string };
  emailAddress: EmailAddress;
}

export interface PatternedRecurrence {
  pattern: {
    type: 'daily' | 'weekly' | 'absoluteMonthly' | 'relativeMonthly' | 'absoluteYearly' | 'relativeYearly';
    interval: number;
    month?: number;
    dayOfMonth?: number;
    daysOfWeek?: string[];
    firstDayOfWeek?: string;
    index?: string;
  };
  range: {
    type: 'endDate' | 'noEnd' | 'numbered';
    startDate: string;
    endDate?: string;
    recurrenceTimeZone?: string;
    numberOfOccurrences?: number;
  };
}

/** Fields an exception may change on one occurrence of a series. */
export type OccurrenceOverride = Partial<Pick<StoredEvent, 'subject' | 'body' | 'start' | 'end' | 'location' | 'showAs' | 'importance' | 'attendees' | 'isCancelled' | 'responseStatus' | 'changeKey' | 'lastModifiedDateTime'>>;

export interface StoredEvent {
  key: string;
  id: string;
  calendarId: string;
  subject: string;
  body: { contentType: 'html' | 'text'; content: string };
  start: DateTimeTimeZone;
  end: DateTimeTimeZone;
  isAllDay: boolean;
  location: { displayName: string; locationType: string; uniqueId?: string; uniqueIdType: string };
  attendees: Attendee[];
  organizer: { emailAddress: EmailAddress };
  isOrganizer: boolean;
  isOnlineMeeting: boolean;
  onlineMeetingProvider: string;
  onlineMeeting: { joinUrl: string; conferenceId: string } | null;
  showAs: string;
  importance: string;
  sensitivity: string;
  isCancelled: boolean;
  isReminderOn: boolean;
  reminderMinutesBeforeStart: number;
  responseRequested: boolean;
  responseStatus: { response: string; time: string };
  categories: string[];
  recurrence: PatternedRecurrence | null;
  /** Occurrence days (see ids.occurrenceId) removed from a series. */
  deletedOccurrenceDays: number[];
  exceptions: Record<number, OccurrenceOverride>;
  iCalUId: string;
  changeKey: string;
  createdDateTime: number;
  lastModifiedDateTime: number;
  transactionId?: string;
}

export interface StoredCalendar {
  id: string;
  name: string;
  color: string;
  hexColor: string;
  isDefaultCalendar: boolean;
  canEdit: boolean;
  canShare: boolean;
  canViewPrivateItems: boolean;
  isRemovable: boolean;
  owner: EmailAddress;
  changeKey: string;
}

export interface MailboxSnapshot {
  userId: string;
  calendars: StoredCalendar[];
  events: StoredEvent[];
}

export const newChangeKey = (): string => randomBytes(12).toString('base64');

/** Told when an event is added to or removed from a mailbox (change notifications); edits are found by comparing versions. */
export type EventPresenceObserver = (userId: string, event: StoredEvent, change: 'created' | 'deleted') => void;

export class Mailbox {
  readonly calendars: StoredCalendar[] = [];
  private readonly events = new Map<string, StoredEvent>();
  observer: EventPresenceObserver | undefined;

  constructor(readonly userId: string) {}

  get defaultCalendar(): StoredCalendar {
    return this.calendars.find((calendar) => calendar.isDefaultCalendar)!;
  }

  calendar(id: string): StoredCalendar | undefined {
    return this.calendars.find((calendar) => calendar.id === id);
  }

  addCalendar(calendar: Omit<StoredCalendar, 'id' | 'changeKey'>): StoredCalendar {
    const stored = { ...calendar, id: newItemId('calendar'), changeKey: newChangeKey() };
    this.calendars.push(stored);
    return stored;
  }

  eventsIn(calendarId?: string): StoredEvent[] {
    return [...this.events.values()].filter((event) => !calendarId || event.calendarId === calendarId);
  }

  eventByKey(key: string): StoredEvent | undefined {
    return this.events.get(key);
  }

  addEvent(event: Omit<StoredEvent, 'key' | 'id'>): StoredEvent {
    const id = newItemId('event');
    const stored: StoredEvent = { ...event, id, key: decodeItemId(id)!.key };
    this.events.set(stored.key, stored);
    this.observer?.(this.userId, stored, 'created');
    return stored;
  }

  deleteEvent(key: string): void {
    const event = this.events.get(key);
    this.events.delete(key);
    if (event) this.observer?.(this.userId, event, 'deleted');
  }

  snapshot(): MailboxSnapshot {
    return { userId: this.userId, calendars: this.calendars, events: [...this.events.values()] };
  }

  static fromSnapshot(snapshot: MailboxSnapshot): Mailbox {
    const mailbox = new Mailbox(snapshot.userId);
    mailbox.calendars.push(...snapshot.calendars);
    for (const event of snapshot.events) mailbox.events.set(event.key, event);
    return mailbox;
  }
}

/** One mailbox per user id. */
export class MailboxStore {
  private readonly mailboxes = new Map<string, Mailbox>();
  private observer: EventPresenceObserver | undefined;

  constructor(snapshots: MailboxSnapshot[] = []) {
    for (const snapshot of snapshots) this.mailboxes.set(snapshot.userId, Mailbox.fromSnapshot(snapshot));
  }

  snapshot(): MailboxSnapshot[] {
    return [...this.mailboxes.values()].map((mailbox) => mailbox.snapshot());
  }

  /** One observer for every mailbox, present and future. */
  observe(observer: EventPresenceObserver): void {
    this.observer = observer;
    for (const mailbox of this.mailboxes.values()) mailbox.observer = observer;
  }

  has(userId: string): boolean {
    return this.mailboxes.has(userId);
  }

  mailbox(userId: string): Mailbox {
    let mailbox = this.mailboxes.get(userId);
    if (!mailbox) {
      mailbox = new Mailbox(userId);
      mailbox.observer = this.observer;
      this.mailboxes.set(userId, mailbox);
    }
    return mailbox;
  }
}
