// Graph JSON of the signed-in user and of calendars, and the @odata.context URLs of responses.
// https://learn.microsoft.com/graph/api/resources/user, https://learn.microsoft.com/graph/api/resources/calendar
import type { SandboxState } from '../state';
import type { SandboxUser } from '../types';
import type { StoredCalendar } from './mailbox-store';

export function odataContext(state: SandboxState, version: string, fragment: string): string {
  return `${state.urls.graphBaseUrl}/${version}/$metadata#${fragment}`;
}

export function userJson(user: SandboxUser): Record<string, unknown> {
  return {
    businessPhones: [], displayName: user.displayName, givenName: user.givenName, jobTitle: user.jobTitle, mail: user.email,
    mobilePhone: null, officeLocation: user.officeLocation, preferredLanguage: user.preferredLanguage, surname: user.surname,
    userPrincipalName: user.email, id: user.id,
  };
}

export function calendarJson(calendar: StoredCalendar): Record<string, unknown> {
  return {
    '@odata.id': `calendars('${calendar.id}')`,
    id: calendar.id, name: calendar.name, color: calendar.color, hexColor: calendar.hexColor, groupClassId: '0006f0b7-0000-0000-c000-000000000046',
    isDefaultCalendar: calendar.isDefaultCalendar, changeKey: calendar.changeKey, canShare: calendar.canShare,
    canViewPrivateItems: calendar.canViewPrivateItems, canEdit: calendar.canEdit,
    allowedOnlineMeetingProviders: ['teamsForBusiness'], defaultOnlineMeetingProvider: 'teamsForBusiness',
    isTallyingResponses: calendar.canEdit, isRemovable: calendar.isRemovable, owner: calendar.owner,
  };
}
