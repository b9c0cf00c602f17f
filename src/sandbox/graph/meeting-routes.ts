// Meeting actions on an event or one occurrence: accept, tentativelyAccept, decline (attendees) and cancel (organizer).
// Each answers 202 Accepted with no body. https://learn.microsoft.com/graph/api/event-accept, event-tentativelyaccept,
// event-decline, event-cancel
import { Router, type Request, type Response } from 'express';
import type { SandboxState } from '../state';
import { callerOf } from './caller';
import { resolveEvent, type ResolvedEvent } from './event-lookup';
import { GraphFailure, graphFailures } from './graph-errors';
import { notifyOrganizer } from './invitations';
import { newChangeKey, type OccurrenceOverride } from './mailbox-store';
import { mailboxOf } from './read-routes';
import { requireEditable } from './write-routes';

const RESPONSES: Record<string, string> = { accept: 'accepted', tentativelyAccept: 'tentativelyAccepted', decline: 'declined' };

/** The body's optional comment and sendResponse, with Graph's refusal of anything else. */
function readActionBody(req: Request, allowed: string[]): { sendResponse: boolean } {
  const body = (req.body ?? {}) as Record<string, unknown>;
  for (const [name, value] of Object.entries(body)) {
    if (!allowed.includes(name)) throw graphFailures.badRequest(`The property '${name}' does not exist on this action.`);
    if (name === 'comment' && typeof value !== 'string' && value !== null) throw graphFailures.badRequest("The property 'comment' must be a string.");
    if (name === 'sendResponse' && typeof value !== 'boolean' && value !== null) throw graphFailures.badRequest("The property 'sendResponse' must be a boolean.");
  }
  return { sendResponse: body.sendResponse !== false };
}

/** Changes the series (or the event) itself, or one occurrence, which then becomes an exception. */
function apply(resolved: ResolvedEvent, change: OccurrenceOverride, now: number): void {
  const stamp = { changeKey: newChangeKey(), lastModifiedDateTime: now };
  if (resolved.occurrence) {
    resolved.event.exceptions[resolved.occurrence.day] = { ...resolved.occurrence.override, ...change, ...stamp };
  } else {
    Object.assign(resolved.event, change, stamp);
  }
}

export function meetingRoutes(state: SandboxState): Router {
  const router = Router();
  const accepted = (res: Response) => res.status(202).end();

  const respond = (response: string) => (req: Request, res: Response) => {
    const resolved = resolveEvent(mailboxOf(state, res, true), String(req.params.eventId));
    const { sendResponse } = readActionBody(req, ['comment', 'sendResponse']);
    if (resolved.event.isOrganizer) {
      throw graphFailures.invalidRequest("Your request can't be completed. You can't respond to a meeting you organized.");
    }
    const status = { response, time: new Date(state.now()).toISOString().replace(/\.\d{3}Z$/, 'Z') };
    apply(resolved, { responseStatus: status }, state.now());
    if (sendResponse && !resolved.occurrence) notifyOrganizer(state, resolved.event, callerOf(res).user.email, status);
    accepted(res);
  };
  for (const [action, response] of Object.entries(RESPONSES)) router.post(`/me/events/:eventId/${action}`, respond(response));

  // Only the organizer cancels; the sandbox sends no cancellation messages, so attendees' copies stay as they are.
  router.post('/me/events/:eventId/cancel', (req, res) => {
    const mailbox = mailboxOf(state, res, true);
    const resolved = resolveEvent(mailbox, req.params.eventId);
    requireEditable(mailbox, resolved.event.calendarId);
    readActionBody(req, ['comment']);
    if (!resolved.event.isOrganizer) {
      throw new GraphFailure(400, 'ErrorAccessDenied', "Your request can't be completed. You need to be an organizer to cancel a meeting.");
    }
    apply(resolved, { isCancelled: true }, state.now());
    accepted(res);
  });

  return router;
}
