// The zone name the gateway sends Graph for a caller's zone (always a Windows name), and the caller's name shown back.
import { findWindows } from 'windows-iana';
import { canonicalTimeZone, isSupportedTimeZone, isWindowsTimeZone, toIanaTimeZone } from '../common/time-zones';

/** A zone as the caller named it and as Graph is asked for it. */
export interface RequestedZone {
  /** The caller's zone in its canonical spelling (see canonicalTimeZone): what responses carry. */
  name: string;
  /** The Windows name sent to Graph (event times and `Prefer: outlook.timezone`). */
  graphName: string;
}

// Keyed by canonical spellings only, so callers' spellings cannot grow it; at most one entry per zone Intl knows.
const windowsNames = new Map<string, string | undefined>();

/**
 * Graph takes every Windows zone but only a documented handful of IANA names, and refuses even some of those in
 * practice (microsoft-graph-docs#4242: America/New_York, Asia/Shanghai). Sending the Windows twin of every IANA zone
 * is one rule that always holds: https://learn.microsoft.com/graph/api/resources/datetimetimezone
 */
function windowsNameOf(canonical: string): string | undefined {
  if (isWindowsTimeZone(canonical)) return canonical;
  if (!windowsNames.has(canonical)) {
    // CLDR knows links ('Asia/Calcutta') under their zone; Intl's spelling covers names newer than the data ('Europe/Kyiv').
    const windows = findWindows(canonical)[0] ?? findWindows(toIanaTimeZone(canonical))[0];
    windowsNames.set(canonical, windows);
  }
  return windowsNames.get(canonical);
}

/** The zone to ask Graph for; undefined for a name that is unknown or has no Windows equivalent (e.g. Antarctica/Troll). */
export function requestedZone(name: string): RequestedZone | undefined {
  if (typeof name !== 'string' || !isSupportedTimeZone(name)) return undefined;
  const canonical = canonicalTimeZone(name);
  const graphName = windowsNameOf(canonical);
  return graphName ? { name: canonical, graphName } : undefined;
}

export const UTC_ZONE: RequestedZone = { name: 'UTC', graphName: 'UTC' };

/** The zone a caller asked for (validated at the edge as one Microsoft knows), else UTC. */
export const zoneOrUtc = (timeZone: string | null | undefined): RequestedZone => (timeZone ? requestedZone(timeZone) ?? UTC_ZONE : UTC_ZONE);

// Graph reads and writes dateTimeTimeZone in the zone this header names (UTC without it).
// https://learn.microsoft.com/graph/api/user-list-calendarview#request-headers
export const preferTimeZone = (zone: RequestedZone) => ({ Prefer: `outlook.timezone="${zone.graphName}"` });

/** Graph answers in the zone it was asked for; the caller reads the name they gave (unchanged if Graph chose another). */
export function shownZoneName(graphTimeZone: string, zone: RequestedZone | undefined): string {
  return zone && graphTimeZone.toLowerCase() === zone.graphName.toLowerCase() ? zone.name : graphTimeZone;
}
