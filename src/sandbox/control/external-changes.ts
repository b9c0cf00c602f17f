// Changes made to a mailbox as if by another client (Outlook on the web, a phone): no app token, notifications follow.
import { eventJson } from '../graph/event-json';
import { newEventFromBody } from '../graph/event-input';
import { calendarOf } from '../graph/read-routes';
import { resolveEvent } from '../graph/event-lookup';
import { applyEventChanges, deleteResolvedEvent } from '../graph/write-routes';
import type { SandboxState } from '../state';
import type { ExternalChange, SandboxUser } from '../types';

/** Applies the change and returns the event's Graph JSON in UTC (null after a delete). Graph's validation errors are thrown. */
export function applyExternalChange(state: SandboxState, user: SandboxUser, change: ExternalChange): Record<string, unknown> | null {
  const mailbox = state.mailboxes.mailbox(user.id);
  const render = (id: string) => {
    const resolved = resolveEvent(mailbox, id);
    return eventJson(resolved.event, { timeZone: 'UTC' }, resolved.occurrence);
  };
  let result: Record<string, unknown> | null;
  switch (change?.type) {
    case 'created': {
      const calendar = calendarOf(mailbox, change.calendarId);
      result = render(mailbox.addEvent(newEventFromBody(change.event ?? {}, user, calendar.id, state.now())).id);
      break;
    }
    case 'updated':
      applyEventChanges(resolveEvent(mailbox, change.id), change.changes ?? {}, state.now());
      result = render(change.id);
      break;
    case 'deleted':
      deleteResolvedEvent(mailbox, resolveEvent(mailbox, change.id));
      result = null;
      break;
    default:
      throw new RangeError("change.type must be 'created', 'updated' or 'deleted'");
  }
  state.notifier.changesMayHaveHappened();
  return result;
}
