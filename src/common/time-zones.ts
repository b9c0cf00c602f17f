// Pure time-zone helpers shared by the gateway and the sandbox: Windows/IANA names, strict local date-times, DST-correct conversion.
import { LRUCache } from 'lru-cache';
import { WINDOWS_TO_IANA_MAP } from 'windows-iana';

/**
 * Every Windows time-zone name (as Outlook and Graph use them) mapped to its IANA zone: CLDR's windowsZones "001"
 * territory, as the windows-iana package keeps it. Graph accepts every Windows name:
 * https://learn.microsoft.com/graph/api/resources/datetimetimezone
 */
export const WINDOWS_TO_IANA: Readonly<Record<string, string>> = Object.fromEntries(
  WINDOWS_TO_IANA_MAP.filter((entry) => entry.territory === '001').map((entry) => [entry.windowsName, entry.iana[0]]),
);

const WINDOWS_BY_LOWER_NAME = new Map(Object.entries(WINDOWS_TO_IANA).map(([windows, iana]) => [windows.toLowerCase(), iana]));
const WINDOWS_SPELLING = new Map(Object.keys(WINDOWS_TO_IANA).map((windows) => [windows.toLowerCase(), windows]));
const UTC_ALIASES = /^(utc|etc\/utc|gmt|z)$/i;
// Only region/city style names: Intl in newer engines also accepts raw offsets ("+01:00"), which Graph does not.
const IANA_NAME = /^[A-Za-z][A-Za-z_-]*(\/[A-Za-z0-9_+-]+){0,2}$/;
// Keyed by canonical IANA names only, so callers' spellings ('europe/paris', 'EUROPE/PARIS'…) cannot grow it.
const formatters = new Map<string, Intl.DateTimeFormat>();

// Building an Intl.DateTimeFormat and formatting through it cost tens of microseconds: the answers of these pure
// functions are kept, bounded because names and date-times can come from callers.
const resolvedNames = new LRUCache<string, { iana: string | undefined }>({ max: 2_000 });
const instantsByLocal = new LRUCache<string, number>({ max: 20_000 });
const localsByInstant = new LRUCache<string, string>({ max: 20_000 });

/** A wall-clock date and time with no zone, as Graph's dateTimeTimeZone.dateTime carries it. */
export interface LocalDateTime {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Fraction of a second in units of 100 ns (Graph shows seven digits). */
  ticks: number;
}

function formatterFor(ianaZone: string): Intl.DateTimeFormat | undefined {
  let formatter = formatters.get(ianaZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone: ianaZone, hourCycle: 'h23',
        year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
      });
    } catch {
      return undefined;
    }
    formatters.set(ianaZone, formatter);
  }
  return formatter;
}

/** Intl's own spelling of an IANA name ('europe/paris' → 'Europe/Paris'), or undefined when Intl does not know it. */
function canonicalIana(name: string): string | undefined {
  if (!IANA_NAME.test(name)) return undefined;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

function resolveIana(name: string): string | undefined {
  const remembered = resolvedNames.get(name);
  if (remembered) return remembered.iana;
  const iana = resolveIanaUncached(name);
  resolvedNames.set(name, { iana });
  return iana;
}

function resolveIanaUncached(name: string): string | undefined {
  const trimmed = name.trim();
  if (UTC_ALIASES.test(trimmed)) return 'UTC';
  const fromWindows = WINDOWS_BY_LOWER_NAME.get(trimmed.toLowerCase());
  if (fromWindows) return fromWindows;
  const canonical = canonicalIana(trimmed);
  return canonical && formatterFor(canonical) ? canonical : undefined;
}

/**
 * The caller's zone in one spelling: 'UTC' for its aliases ('Z', 'GMT', 'etc/utc'), a Windows name in its own
 * spelling, else the IANA name as given when properly cased, or Intl's spelling of it. Throws RangeError for an
 * unsupported zone.
 */
export function canonicalTimeZone(name: string): string {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (UTC_ALIASES.test(trimmed)) return 'UTC';
  const windows = WINDOWS_SPELLING.get(trimmed.toLowerCase());
  if (windows) return windows;
  const iana = toIanaTimeZone(trimmed);
  // ICU names some zones by their old link ('Asia/Calcutta'); a properly cased current name ('Asia/Kolkata') stays as given.
  return trimmed === iana || PROPERLY_CASED_IANA.test(trimmed) ? trimmed : iana;
}

// Each segment starts with a capital and no two capitals follow each other ('America/Argentina/Buenos_Aires').
const PROPERLY_CASED_IANA = /^(?!.*[A-Z]{2})[A-Z][A-Za-z_-]*(\/[A-Z][A-Za-z0-9_+-]*){1,2}$/;

/** True for 'UTC', IANA names Intl knows, and every Windows name in WINDOWS_TO_IANA (case-insensitive). */
export function isSupportedTimeZone(name: string): boolean {
  return typeof name === 'string' && resolveIana(name) !== undefined;
}

/** True for a Windows name in its own spelling ('UTC-11', 'Sri Lanka Standard Time'). */
export function isWindowsTimeZone(name: string): boolean {
  return Object.hasOwn(WINDOWS_TO_IANA, name);
}

/** The IANA zone for a Windows or IANA name; throws RangeError for an unsupported one. */
export function toIanaTimeZone(name: string): string {
  const iana = typeof name === 'string' ? resolveIana(name) : undefined;
  if (!iana) throw new RangeError(`Unsupported time zone: ${String(name)}`);
  return iana;
}

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$/;

/** Parses 'YYYY-MM-DDTHH:mm(:ss(.fffffff)?)?' strictly (no offset, real calendar dates); null when invalid. */
export function parseLocalDateTime(text: string): LocalDateTime | null {
  const match = typeof text === 'string' ? LOCAL_DATE_TIME.exec(text) : null;
  if (!match) return null;
  const [year, month, day, hour, minute] = match.slice(1, 6).map(Number);
  const second = match[6] ? Number(match[6]) : 0;
  const ticks = match[7] ? Number(match[7].padEnd(7, '0')) : 0;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  return { year, month, day, hour, minute, second, ticks };
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Milliseconds of a local date-time read as if it were UTC (the "wall-clock epoch"). */
export function wallClockMs(local: LocalDateTime): number {
  const ms = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  return ms + Math.floor(local.ticks / 10_000);
}

function offsetMs(instantMs: number, ianaZone: string): number {
  if (ianaZone === 'UTC') return 0;
  const parts = formatterFor(ianaZone)!.formatToParts(new Date(instantMs));
  const get = (type: string) => Number(parts.find((part) => part.type === type)!.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - (instantMs - (((instantMs % 1000) + 1000) % 1000));
}

/**
 * The instant a local date-time names in a zone. Ambiguous times (the repeated hour when clocks go
 * back) resolve to the earlier instant; times in a gap (clocks go forward) move forward by the gap,
 * e.g. 02:30 on a spring-forward night becomes 03:30 daylight time, as Windows does.
 */
export function localToInstant(localDateTime: string | LocalDateTime, timeZone: string): Date {
  const local = typeof localDateTime === 'string' ? parseLocalDateTime(localDateTime) : localDateTime;
  if (!local) throw new RangeError(`Invalid local date-time: ${String(localDateTime)}`);
  const zone = toIanaTimeZone(timeZone);
  const wall = wallClockMs(local);
  const key = `${zone} ${wall}`;
  let instant = instantsByLocal.get(key);
  if (instant === undefined) {
    instant = instantOfWallClock(wall, zone);
    instantsByLocal.set(key, instant);
  }
  return new Date(instant);
}

function instantOfWallClock(wall: number, zone: string): number {
  const day = 86_400_000;
  const candidates = [offsetMs(wall - day, zone), offsetMs(wall + day, zone)].map((offset) => wall - offset);
  const exact = candidates.filter((instant) => instant + offsetMs(instant, zone) === wall).sort((a, b) => a - b);
  return exact.length > 0 ? exact[0] : candidates[0];
}

/** The wall-clock time of an instant in a zone, as 'YYYY-MM-DDTHH:mm:ss.fffffff' (Graph's response form). */
export function instantToLocal(date: Date, timeZone: string): string {
  const zone = toIanaTimeZone(timeZone);
  const instant = date.getTime();
  const key = `${zone} ${instant}`;
  const remembered = localsByInstant.get(key);
  if (remembered !== undefined) return remembered;
  const shifted = new Date(instant + offsetMs(instant, zone));
  const fraction = String(shifted.getUTCMilliseconds() * 10_000).padStart(7, '0');
  const local = `${shifted.toISOString().slice(0, 19)}.${fraction}`;
  localsByInstant.set(key, local);
  return local;
}
