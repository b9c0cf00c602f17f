import { requestedZone, shownZoneName, UTC_ZONE } from '../../src/calendar/graph-time-zone';

describe('requestedZone (the name Graph is asked for)', () => {
  it.each([
    // Windows names from across the list go to Graph as they are, in their own spelling.
    ['Sri Lanka Standard Time', 'Sri Lanka Standard Time', 'Sri Lanka Standard Time'],
    ['e. africa standard time', 'E. Africa Standard Time', 'E. Africa Standard Time'],
    ['Hawaiian Standard Time', 'Hawaiian Standard Time', 'Hawaiian Standard Time'],
    ['Magallanes Standard Time', 'Magallanes Standard Time', 'Magallanes Standard Time'],
    ['Chatham Islands Standard Time', 'Chatham Islands Standard Time', 'Chatham Islands Standard Time'],
    ['UTC-11', 'UTC-11', 'UTC-11'], ['utc+12', 'UTC+12', 'UTC+12'], ['UTC+13', 'UTC+13', 'UTC+13'],
    // UTC and its aliases.
    ['UTC', 'UTC', 'UTC'], ['Z', 'UTC', 'UTC'], ['etc/utc', 'UTC', 'UTC'], ['Etc/GMT', 'UTC', 'UTC'],
    // IANA canonical names go as their Windows twin; the caller keeps their own name.
    ['Europe/Paris', 'Europe/Paris', 'Romance Standard Time'], ['europe/paris', 'Europe/Paris', 'Romance Standard Time'],
    ['America/New_York', 'America/New_York', 'Eastern Standard Time'], ['Asia/Shanghai', 'Asia/Shanghai', 'China Standard Time'],
    ['America/Toronto', 'America/Toronto', 'Eastern Standard Time'], ['Africa/Nairobi', 'Africa/Nairobi', 'E. Africa Standard Time'],
    ['Asia/Kathmandu', 'Asia/Kathmandu', 'Nepal Standard Time'], ['Pacific/Chatham', 'Pacific/Chatham', 'Chatham Islands Standard Time'],
    ['Etc/GMT+11', 'Etc/GMT+11', 'UTC-11'], ['Etc/GMT-12', 'Etc/GMT-12', 'UTC+12'],
    // IANA links and names newer than CLDR's table.
    ['Asia/Calcutta', 'Asia/Calcutta', 'India Standard Time'], ['America/Buenos_Aires', 'America/Buenos_Aires', 'Argentina Standard Time'],
    ['Europe/Kyiv', 'Europe/Kyiv', 'FLE Standard Time'], ['America/Nuuk', 'America/Nuuk', 'Greenland Standard Time'],
  ])('%p is shown as %p and sent as %p', (typed, name, graphName) => {
    expect(requestedZone(typed)).toEqual({ name, graphName });
  });

  it.each(['Mars/Olympus_Mons', 'Pacific Time', 'Greenwich Mean Time', 'UTC+14', '+01:00', '', 'Antarctica/Troll'])('refuses %p', (typed) => {
    expect(requestedZone(typed)).toBeUndefined();
  });
});

describe('shownZoneName', () => {
  const paris = { name: 'Europe/Paris', graphName: 'Romance Standard Time' };

  it("shows the caller's name where Graph answered in the zone it was asked for", () => {
    expect(shownZoneName('Romance Standard Time', paris)).toBe('Europe/Paris');
    expect(shownZoneName('romance standard time', paris)).toBe('Europe/Paris');
  });

  it('keeps the zone Graph named when it answered in another one', () => {
    expect(shownZoneName('UTC', paris)).toBe('UTC');
    expect(shownZoneName('Tokyo Standard Time', UTC_ZONE)).toBe('Tokyo Standard Time');
    expect(shownZoneName('UTC', undefined)).toBe('UTC');
  });
});
