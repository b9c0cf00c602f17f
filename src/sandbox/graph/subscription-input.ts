// Checks subscription bodies as Graph does, and runs the validation handshake with a notification URL.
// https://learn.microsoft.com/graph/api/subscription-post-subscriptions, https://learn.microsoft.com/graph/change-notifications-delivery-webhooks
import http from 'node:http';
import type { Caller } from './caller';
import { graphUtcTimestamp } from './event-json';
import { GraphFailure, graphFailures } from './graph-errors';
import type { Mailbox } from './mailbox-store';
import { postToReceiver, ReceiverTimeout, receiverUrlProblem } from './receiver-client';
import type { ChangeType } from './subscription-store';

/** The current maximum for Outlook event subscriptions without resource data: 10,080 minutes (under 7 days). */
export const MAX_EVENT_SUBSCRIPTION_MINUTES = 10_080;
const CHANGE_TYPES: ChangeType[] = ['created', 'updated', 'deleted'];
const TLS_VERSIONS = ['v1_0', 'v1_1', 'v1_2', 'v1_3'];
const MAX_CLIENT_STATE_LENGTH = 128;
const RESOURCE = /^(?:me|users\/([^/]+))\/(?:events|calendar\/events|calendars\/([^/]+)\/events)$/i;

type Body = Record<string, unknown>;
const validationError = (message: string) => new GraphFailure(400, 'ValidationError', message);
const extensionError = (message: string) => new GraphFailure(400, 'ExtensionError', message);

export interface NewSubscriptionFields {
  resource: string;
  calendarId?: string;
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  clientState: string | null;
  expiresAtMs: number;
  expirationDateTime: string;
  latestSupportedTlsVersion: string;
}

/** expirationDateTime in the future and within the Outlook maximum, in Graph's 7-digit form. */
export function readExpiration(raw: unknown, now: number): { expiresAtMs: number; expirationDateTime: string } {
  const expiresAtMs = typeof raw === 'string' ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(expiresAtMs)) throw validationError("The property 'expirationDateTime' must be a date-time such as 2024-04-18T11:00:00Z.");
  if (expiresAtMs <= now) throw extensionError('Subscription expiration can only be in the future.');
  if (expiresAtMs > now + MAX_EVENT_SUBSCRIPTION_MINUTES * 60_000) {
    throw extensionError(`Subscription expiration can only be ${MAX_EVENT_SUBSCRIPTION_MINUTES} minutes in the future.`);
  }
  return { expiresAtMs, expirationDateTime: graphUtcTimestamp(expiresAtMs) };
}

function readChangeType(raw: unknown): string {
  const types = typeof raw === 'string' ? raw.split(',').map((type) => type.trim()) : [];
  if (types.length === 0 || types.some((type) => !CHANGE_TYPES.includes(type as ChangeType)) || new Set(types).size !== types.length) {
    throw validationError("The property 'changeType' must list created, updated and/or deleted, separated by commas.");
  }
  return types.join(',');
}

function readReceiverUrl(raw: unknown, name: string): string {
  const problem = receiverUrlProblem(raw);
  if (problem) throw validationError(`The ${name} ${problem}.`);
  return raw as string;
}

/** The watched calendar of an events resource of the caller's own mailbox; another user's mailbox is denied. */
function readResource(raw: unknown, caller: Caller, mailbox: Mailbox): { resource: string; calendarId?: string } {
  const resource = typeof raw === 'string' ? raw : '';
  const match = RESOURCE.exec(resource.replace(/^\//, ''));
  if (!match) throw validationError(`The resource '${resource}' is not supported; use me/events, me/calendars/{id}/events or users/{id}/events.`);
  const [, user, calendarId] = match;
  if (user && ![caller.user.id, caller.user.email].includes(decodeURIComponent(user).toLowerCase())) throw graphFailures.accessDenied();
  if (calendarId && !mailbox.calendar(calendarId)) throw graphFailures.itemNotFound();
  return { resource, calendarId };
}

export function readNewSubscription(body: Body, caller: Caller, mailbox: Mailbox, now: number): NewSubscriptionFields {
  const clientState = body.clientState ?? null;
  if (clientState !== null && (typeof clientState !== 'string' || clientState.length > MAX_CLIENT_STATE_LENGTH)) {
    throw validationError(`The property 'clientState' must be a string of at most ${MAX_CLIENT_STATE_LENGTH} characters.`);
  }
  const latestSupportedTlsVersion = body.latestSupportedTlsVersion ?? 'v1_2';
  if (!TLS_VERSIONS.includes(latestSupportedTlsVersion as string)) throw validationError(`The property 'latestSupportedTlsVersion' must be one of ${TLS_VERSIONS.join(', ')}.`);
  return {
    ...readResource(body.resource, caller, mailbox),
    changeType: readChangeType(body.changeType),
    notificationUrl: readReceiverUrl(body.notificationUrl, 'notificationUrl'),
    lifecycleNotificationUrl: body.lifecycleNotificationUrl == null ? null : readReceiverUrl(body.lifecycleNotificationUrl, 'lifecycleNotificationUrl'),
    clientState: clientState as string | null,
    latestSupportedTlsVersion: latestSupportedTlsVersion as string,
    ...readExpiration(body.expirationDateTime, now),
  };
}

/** PATCH renews: only expirationDateTime may change. */
export function readSubscriptionPatch(body: Body, now: number): { expiresAtMs: number; expirationDateTime: string } {
  if ('lifecycleNotificationUrl' in body) throw validationError('lifecycleNotificationUrl cannot be added or changed on an existing subscription; create a new one.');
  const others = Object.keys(body).filter((name) => name !== 'expirationDateTime');
  if (others.length > 0) throw validationError(`Only expirationDateTime can be updated; '${others[0]}' cannot.`);
  return readExpiration(body.expirationDateTime, now);
}

const statusName = (status: number) => (http.STATUS_CODES[status] ?? String(status)).replace(/[^A-Za-z]/g, '');

/**
 * POST {url}?validationToken=... (text/plain); the receiver must answer 200 with the decoded token as text/plain in time,
 * else the subscription is refused with 400. Graph's tokens contain spaces, so receivers must URL-decode.
 */
export async function validateReceiver(url: string, token: string, timeoutMs: number): Promise<void> {
  const target = `${url}${url.includes('?') ? '&' : '?'}validationToken=${encodeURIComponent(token)}`;
  let answer;
  try {
    answer = await postToReceiver(target, '', 'text/plain; charset=utf-8', timeoutMs);
  } catch (error) {
    if (error instanceof ReceiverTimeout) throw validationError('Subscription validation request timed out.');
    throw validationError('Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.');
  }
  if (answer.status !== 200) {
    throw validationError(`Subscription validation request failed. HTTP status code is '${statusName(answer.status)}'. Notification endpoint must respond with 200 OK to validation request.`);
  }
  if (!answer.contentType.toLowerCase().startsWith('text/plain') || answer.body !== token) {
    throw validationError('Subscription validation request failed. Response must exactly match validationToken query parameter (as text/plain).');
  }
}
