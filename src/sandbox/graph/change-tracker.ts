// Finds what changed in watched mailboxes since the last look, by comparing each event's version with the one seen then.
// Comparing rather than hooking every write means any route (or the control surface) that edits an event is noticed.
import type { MailboxStore, StoredEvent } from './mailbox-store';
import type { ChangeType } from './subscription-store';

export interface EventChange {
  userId: string;
  eventId: string;
  calendarId: string;
  changeType: ChangeType;
  /** The version after the change (the last one seen for a deletion). */
  changeKey: string;
}

interface SeenEvent {
  id: string;
  calendarId: string;
  changeKey: string;
  /** The series' own version plus its exceptions and deleted occurrences, which do not change the master's changeKey. */
  version: string;
}

function seen(event: StoredEvent): SeenEvent {
  const exceptions = Object.entries(event.exceptions).map(([day, override]) => `${day}:${override.changeKey ?? ''}`).join(',');
  return {
    id: event.id,
    calendarId: event.calendarId,
    changeKey: event.changeKey,
    version: `${event.changeKey}|${event.lastModifiedDateTime}|${exceptions}|${event.deletedOccurrenceDays.join(',')}`,
  };
}

export class ChangeTracker {
  private readonly lastSeen = new Map<string, Map<string, SeenEvent>>();

  constructor(private readonly mailboxes: MailboxStore) {}

  private look(userId: string): Map<string, SeenEvent> {
    return new Map(this.mailboxes.mailbox(userId).eventsIn().map((event) => [event.key, seen(event)]));
  }

  /** Watches exactly these mailboxes; a newly watched one starts from its current state. */
  watchOnly(userIds: Set<string>): void {
    for (const userId of this.lastSeen.keys()) if (!userIds.has(userId)) this.lastSeen.delete(userId);
    for (const userId of userIds) if (!this.lastSeen.has(userId)) this.lastSeen.set(userId, this.look(userId));
  }

  /** Changes since the previous call, oldest mailbox state replaced by the current one. */
  collect(): EventChange[] {
    const changes: EventChange[] = [];
    for (const [userId, before] of this.lastSeen) {
      const now = this.look(userId);
      for (const [key, current] of now) {
        const previous = before.get(key);
        if (!previous) changes.push({ userId, eventId: current.id, calendarId: current.calendarId, changeType: 'created', changeKey: current.changeKey });
        else if (previous.version !== current.version) changes.push({ userId, eventId: current.id, calendarId: current.calendarId, changeType: 'updated', changeKey: current.changeKey });
      }
      for (const [key, previous] of before) {
        if (!now.has(key)) changes.push({ userId, eventId: previous.id, calendarId: previous.calendarId, changeType: 'deleted', changeKey: previous.changeKey });
      }
      this.lastSeen.set(userId, now);
    }
    return changes;
  }
}
