// Warns ahead of an app credential's expiry: a client secret (MICROSOFT_CLIENT_SECRET_EXPIRES_AT) or the client certificate.
import type { Channel } from '../config/channels';
import type { ChannelSettings } from '../config/config.types';

/** How long before the expiry the warning starts: time to create a new credential and roll it out. */
export const CREDENTIAL_WARNING_DAYS = 30;
const DAY_MS = 86_400_000;

export interface CredentialWarning {
  channel: Channel;
  credential: 'client secret' | 'client certificate';
  expiresAt: Date;
  /** For people: names the channel, the credential, the date and what to set. */
  message: string;
}

const dateOf = (date: Date) => date.toISOString().slice(0, 10);

/** The credential the channel authenticates with: a certificate wins over a secret, as in msal-clients. */
function credentialOf(settings: ChannelSettings): Pick<CredentialWarning, 'credential' | 'expiresAt'> | undefined {
  if (settings.clientCertificate) return { credential: 'client certificate', expiresAt: settings.clientCertificate.expiresAt };
  if (settings.clientSecret && settings.clientSecretExpiresAt) return { credential: 'client secret', expiresAt: settings.clientSecretExpiresAt };
  return undefined;
}

function messageFor(settings: ChannelSettings, credential: CredentialWarning['credential'], expiresAt: Date, nowMs: number): string {
  const prefix = `MICROSOFT_${settings.channel === 'beta' ? 'BETA_' : ''}`;
  const fix = credential === 'client secret'
    ? `add a new secret to the app registration, then set ${prefix}CLIENT_SECRET and ${prefix}CLIENT_SECRET_EXPIRES_AT`
    : `upload a new certificate to the app registration, then point ${prefix}CLIENT_CERTIFICATE_FILE at it`;
  const daysLeft = Math.ceil((expiresAt.getTime() - nowMs) / DAY_MS);
  const when = daysLeft > 0
    ? `expires on ${dateOf(expiresAt)} (in ${daysLeft} day${daysLeft === 1 ? '' : 's'})`
    : `expired on ${dateOf(expiresAt)}: Microsoft refuses sign-ins and token refreshes on this channel until it is replaced`;
  return `The ${settings.channel.toUpperCase()} channel's ${credential} ${when}; ${fix}.`;
}

/** One warning per enabled channel whose credential expires within CREDENTIAL_WARNING_DAYS (or has expired). */
export function credentialWarnings(channels: ChannelSettings[], nowMs: number): CredentialWarning[] {
  const warnings: CredentialWarning[] = [];
  for (const settings of channels) {
    const found = settings.isEnabled ? credentialOf(settings) : undefined;
    if (!found || found.expiresAt.getTime() - nowMs > CREDENTIAL_WARNING_DAYS * DAY_MS) continue;
    warnings.push({ channel: settings.channel, ...found, message: messageFor(settings, found.credential, found.expiresAt, nowMs) });
  }
  return warnings;
}
