import {
  canonicalTimeZone, instantToLocal, isSupportedTimeZone, isWindowsTimeZone, localToInstant, parseLocalDateTime, toIanaTimeZone,
  WINDOWS_TO_IANA,
} from '../../src/common/time-zones';

describe('isSupportedTimeZone', () => {
  it.each([
    ['UTC', true], ['Europe/Paris', true], ['America/Argentina/Buenos_Aires', true], ['Pacific Standard Time', true],
    ['pacific standard time', true], ['Etc/GMT+12', true], ['Mars/Olympus_Mons', false], ['+01:00', false], ['', false], ['Pacific Time', false],
    // Windows zones from every region, beyond the common ones.
    ['Sri Lanka Standard Time', true], ['E. Africa Standard Time', true], ['Hawaiian Standard Time', true], ['Magallanes Standard Time', true],
    ['Azores Standard Time', true], ['Morocco Standard Time', true], ['Astrakhan Standard Time', true], ['Myanmar Standard Time', true],
    ['Lord Howe Standard Time', true], ['Chatham Islands Standard Time', true], ['Line Islands Standard Time', true],
    ['UTC-11', true], ['UTC-02', true], ['UTC+12', true], ['UTC+13', true], ['utc+13', true], ['UTC+14', false], ['Greenwich Mean Time', false],
    // IANA links Intl knows.
    ['Asia/Calcutta', true], ['America/Buenos_Aires', true], ['Europe/Kyiv', true], ['America/Toronto', true],
  ])('%p → %p', (name, expected) => {
    expect(isSupportedTimeZone(name)).toBe(expected);
  });

  it("knows every Windows zone of CLDR's windowsZones and maps each to an IANA zone Intl knows", () => {
    expect(Object.keys(WINDOWS_TO_IANA).length).toBeGreaterThanOrEqual(135);
    for (const iana of Object.values(WINDOWS_TO_IANA)) expect(() => new Intl.DateTimeFormat('en', { timeZone: iana })).not.toThrow();
  });

  it('tells Windows names in their own spelling from the rest', () => {
    expect(['Sri Lanka Standard Time', 'UTC-11', 'UTC'].map(isWindowsTimeZone)).toEqual([true, true, true]);
    expect(['sri lanka standard time', 'Asia/Colombo', 'toString'].map(isWindowsTimeZone)).toEqual([false, false, false]);
  });
});

describe("canonicalTimeZone (the caller's zone in one spelling)", () => {
  it.each([
    ['Z', 'UTC'], ['GMT', 'UTC'], ['etc/utc', 'UTC'], ['utc', 'UTC'], [' UTC ', 'UTC'],
    ['europe/paris', 'Europe/Paris'], ['EUROPE/PARIS', 'Europe/Paris'], ['America/Argentina/Buenos_Aires', 'America/Argentina/Buenos_Aires'],
    ['Asia/Kolkata', 'Asia/Kolkata'], ['Etc/GMT+12', 'Etc/GMT+12'],
    ['romance standard time', 'Romance Standard Time'], ['Pacific Standard Time', 'Pacific Standard Time'], ['Asia/Tokyo', 'Asia/Tokyo'],
    ['sri lanka standard time', 'Sri Lanka Standard Time'], ['utc-11', 'UTC-11'], ['Asia/Calcutta', 'Asia/Calcutta'],
  ])('%p → %p', (name, expected) => {
    expect(canonicalTimeZone(name)).toBe(expected);
    expect(canonicalTimeZone(expected)).toBe(expected);
  });

  it('throws a RangeError for an unknown zone', () => {
    expect(() => canonicalTimeZone('Mars/Olympus_Mons')).toThrow(RangeError);
  });

  it('converts with a loosely spelled zone exactly like the canonical one', () => {
    expect(localToInstant('2026-01-15T09:00', 'europe/paris').toISOString()).toBe('2026-01-15T08:00:00.000Z');
  });
});

describe('toIanaTimeZone', () => {
  it.each([
    ['Romance Standard Time', 'Europe/Paris'], ['Eastern Standard Time', 'America/New_York'], ['utc', 'UTC'], ['Asia/Tokyo', 'Asia/Tokyo'],
    ['Sri Lanka Standard Time', 'Asia/Colombo'], ['E. Africa Standard Time', 'Africa/Nairobi'], ['UTC-11', 'Etc/GMT+11'], ['UTC+12', 'Etc/GMT-12'],
  ])('%p → %p', (name, expected) => {
    expect(toIanaTimeZone(name)).toBe(expected);
  });

  it('throws a RangeError for an unknown zone', () => {
    expect(() => toIanaTimeZone('Nowhere Standard Time')).toThrow(RangeError);
  });
});

describe('parseLocalDateTime', () => {
  it.each([
    ['2026-01-15T09:00', { year: 2026, month: 1, day: 15, hour: 9, minute: 0, second: 0, ticks: 0 }],
    ['2026-01-15T09:00:30', { year: 2026, month: 1, day: 15, hour: 9, minute: 0, second: 30, ticks: 0 }],
    ['2024-02-29T23:59:59.1234567', { year: 2024, month: 2, day: 29, hour: 23, minute: 59, second: 59, ticks: 1234567 }],
    ['2024-02-29T00:00:00.5', { year: 2024, month: 2, day: 29, hour: 0, minute: 0, second: 0, ticks: 5000000 }],
  ])('accepts %p', (text, expected) => {
    expect(parseLocalDateTime(text)).toEqual(expected);
  });

  it.each(['2026-02-30T09:00', '2025-02-29T09:00', '2026-13-01T00:00', '2026-01-15T24:00', '2026-01-15T09:60', '2026-01-15', '2026-01-15T09:00Z',
    '2026-01-15T09:00:00+01:00', '2026-01-15 09:00', '2026-01-15T09:00:00.12345678', ' 2026-01-15T09:00'])('rejects %p', (text) => {
    expect(parseLocalDateTime(text)).toBeNull();
  });
});

describe('localToInstant', () => {
  it.each([
    ['2026-01-15T09:00', 'Europe/Paris', '2026-01-15T08:00:00.000Z'],
    ['2026-07-15T09:00', 'Europe/Paris', '2026-07-15T07:00:00.000Z'],
    ['2026-07-15T09:00', 'Romance Standard Time', '2026-07-15T07:00:00.000Z'],
    ['2026-01-15T09:00', 'Pacific Standard Time', '2026-01-15T17:00:00.000Z'],
    ['2026-03-08T12:00', 'America/New_York', '2026-03-08T16:00:00.000Z'],
    ['2026-01-15T09:00', 'UTC', '2026-01-15T09:00:00.000Z'],
    ['2026-01-15T09:00', 'Asia/Kolkata', '2026-01-15T03:30:00.000Z'],
    ['2026-01-15T09:00:00.1234567', 'UTC', '2026-01-15T09:00:00.123Z'],
    // Spring forward in Paris (29 March 2026, 02:00 → 03:00): 02:30 does not exist and moves forward by the gap.
    ['2026-03-29T02:30', 'Europe/Paris', '2026-03-29T01:30:00.000Z'],
    // Fall back in Paris (25 October 2026, 03:00 → 02:00): 02:30 happens twice; the earlier (summer time) wins.
    ['2026-10-25T02:30', 'Europe/Paris', '2026-10-25T00:30:00.000Z'],
    ['2026-11-01T01:30', 'America/New_York', '2026-11-01T05:30:00.000Z'],
    ['2026-03-08T02:30', 'Eastern Standard Time', '2026-03-08T07:30:00.000Z'],
  ])('%p in %p is %p', (local, zone, expected) => {
    expect(localToInstant(local, zone).toISOString()).toBe(expected);
  });

  it('rejects invalid input', () => {
    expect(() => localToInstant('2026-02-30T09:00', 'UTC')).toThrow(RangeError);
    expect(() => localToInstant('2026-01-15T09:00', 'Nowhere')).toThrow(RangeError);
  });
});

describe('instantToLocal', () => {
  it.each([
    ['2026-01-15T08:00:00.000Z', 'Europe/Paris', '2026-01-15T09:00:00.0000000'],
    ['2026-07-15T07:00:00.000Z', 'W. Europe Standard Time', '2026-07-15T09:00:00.0000000'],
    ['2026-01-15T17:00:00.000Z', 'Pacific Standard Time', '2026-01-15T09:00:00.0000000'],
    ['2026-01-15T09:00:00.123Z', 'UTC', '2026-01-15T09:00:00.1230000'],
    ['2026-10-25T00:30:00.000Z', 'Europe/Paris', '2026-10-25T02:30:00.0000000'],
    ['2026-10-25T01:30:00.000Z', 'Europe/Paris', '2026-10-25T02:30:00.0000000'],
    ['2026-01-15T20:00:00.000Z', 'Asia/Tokyo', '2026-01-16T05:00:00.0000000'],
  ])('%p in %p is %p', (instant, zone, expected) => {
    expect(instantToLocal(new Date(instant), zone)).toBe(expected);
  });

  it('round-trips with localToInstant outside DST transitions', () => {
    for (const zone of ['Europe/Paris', 'America/Los_Angeles', 'Australia/Sydney', 'Asia/Kathmandu']) {
      const local = '2026-05-04T13:45:00.0000000';
      expect(instantToLocal(localToInstant(local, zone), zone)).toBe(local);
    }
  });
});
