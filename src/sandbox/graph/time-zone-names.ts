// The zone names Graph takes, known to the sandbox on its own: every Windows zone (CLDR) and Graph's documented IANA set.
// https://learn.microsoft.com/graph/api/resources/datetimetimezone
import { WINDOWS_TO_IANA_MAP } from 'windows-iana';

const WINDOWS_NAMES = new Set<string>(WINDOWS_TO_IANA_MAP.map((entry) => entry.windowsName));

/**
 * "Additional time zones" of the dateTimeTimeZone page, as listed there. Where the page gives two spellings
 * ('Europe/Kyiv (Kiev)', 'Asia/Yangon (Rangoon)') both are here; its 'Asia/Toshkent' and 'Asia/Astana' are no IANA
 * names, so their IANA spellings (Asia/Tashkent, Asia/Almaty) stand in. Links outside the list (Asia/Calcutta,
 * America/Buenos_Aires) are refused, as Graph refuses them.
 */
const DOCUMENTED_IANA_NAMES = new Set([
  'Etc/GMT+12', 'Etc/GMT+11', 'Pacific/Honolulu', 'America/Anchorage', 'America/Santa_Isabel', 'America/Los_Angeles', 'America/Phoenix',
  'America/Chihuahua', 'America/Denver', 'America/Guatemala', 'America/Chicago', 'America/Mexico_City', 'America/Regina', 'America/Bogota',
  'America/New_York', 'America/Indiana/Indianapolis', 'America/Caracas', 'America/Asuncion', 'America/Halifax', 'America/Cuiaba',
  'America/La_Paz', 'America/Santiago', 'America/St_Johns', 'America/Sao_Paulo', 'America/Argentina/Buenos_Aires', 'America/Cayenne',
  'America/Godthab', 'America/Montevideo', 'America/Bahia', 'Etc/GMT+2', 'Atlantic/Azores', 'Atlantic/Cape_Verde', 'Africa/Casablanca',
  'Etc/GMT', 'Europe/London', 'Atlantic/Reykjavik', 'Europe/Berlin', 'Europe/Budapest', 'Europe/Paris', 'Europe/Warsaw', 'Africa/Lagos',
  'Africa/Windhoek', 'Europe/Bucharest', 'Asia/Beirut', 'Africa/Cairo', 'Asia/Damascus', 'Africa/Johannesburg', 'Europe/Kyiv', 'Europe/Kiev',
  'Europe/Istanbul', 'Asia/Jerusalem', 'Asia/Amman', 'Asia/Baghdad', 'Europe/Kaliningrad', 'Asia/Riyadh', 'Africa/Nairobi', 'Asia/Tehran',
  'Asia/Dubai', 'Asia/Baku', 'Europe/Moscow', 'Indian/Mauritius', 'Asia/Tbilisi', 'Asia/Yerevan', 'Asia/Kabul', 'Asia/Karachi',
  'Asia/Tashkent', 'Asia/Kolkata', 'Asia/Colombo', 'Asia/Kathmandu', 'Asia/Almaty', 'Asia/Dhaka', 'Asia/Yekaterinburg', 'Asia/Yangon',
  'Asia/Rangoon', 'Asia/Bangkok', 'Asia/Novosibirsk', 'Asia/Shanghai', 'Asia/Krasnoyarsk', 'Asia/Singapore', 'Australia/Perth',
  'Asia/Taipei', 'Asia/Ulaanbaatar', 'Asia/Irkutsk', 'Asia/Tokyo', 'Asia/Seoul', 'Australia/Adelaide', 'Australia/Darwin',
  'Australia/Brisbane', 'Australia/Sydney', 'Pacific/Port_Moresby', 'Australia/Hobart', 'Asia/Yakutsk', 'Pacific/Guadalcanal',
  'Asia/Vladivostok', 'Pacific/Auckland', 'Etc/GMT-12', 'Pacific/Fiji', 'Asia/Magadan', 'Pacific/Tongatapu', 'Pacific/Apia',
  'Pacific/Kiritimati',
]);

/** True for a name Graph takes in dateTimeTimeZone and `Prefer: outlook.timezone`, spelled exactly. */
export function isGraphTimeZoneName(name: string): boolean {
  return WINDOWS_NAMES.has(name) || DOCUMENTED_IANA_NAMES.has(name);
}
