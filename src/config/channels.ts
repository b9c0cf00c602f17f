// The channels a Microsoft-facing field can go through. Channel is data: one value selects settings, table and clients.
export enum Channel {
  MAIN = 'main',
  BETA = 'beta',
}

export const ALL_CHANNELS: readonly Channel[] = [Channel.MAIN, Channel.BETA];

export function parseChannelName(value: string): Channel | undefined {
  const normalized = value.trim().toLowerCase();
  return ALL_CHANNELS.find((channel) => channel === normalized);
}
