// Builds the live calendar's parts (store, feed, delta rounds, subscriptions) from the configuration; one place wires them.
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config/config.types';
import type { TokenCipher } from '../crypto/token-cipher';
import type { GraphClients } from '../microsoft/graph-client';
import type { ScaleOut } from '../scale/scale-out';
import { CalendarSyncService } from './calendar-sync.service';
import { ChangeFeed } from './change-feed';
import { DeltaReader } from './delta-reader';
import { GraphSubscriptions } from './graph-subscriptions';
import type { LiveCalendarRepository } from './live-calendar.repository';
import { LiveCalendarService } from './live-calendar.service';
import { LiveCalendarVault } from './live-calendar.vault';
import { NOTIFICATIONS_PATH } from './notifications.route';

export interface LiveCalendarParts {
  config: GatewayConfig;
  repository: LiveCalendarRepository;
  cipher: TokenCipher;
  graph: GraphClients;
  logger: Logger;
  scaleOut?: ScaleOut;
  publicUrl: () => string;
}

export function buildLiveCalendar(parts: LiveCalendarParts) {
  const { config, logger } = parts;
  const warn = (what: string) => (error: unknown) => {
    const { name, code } = error as { name?: string; code?: string };
    logger.warn({ what, err: { type: name, code } }, 'live calendar: a step failed');
  };
  const vault = new LiveCalendarVault(parts.cipher);
  const feed = new ChangeFeed(parts.cipher, parts.scaleOut?.redis, warn('change feed'));
  const sync = new CalendarSyncService({
    repository: parts.repository, vault, delta: new DeltaReader(parts.graph), feed, lock: parts.scaleOut?.refreshLock, onRoundFailed: warn('delta round'),
  });
  const service = new LiveCalendarService({
    config, repository: parts.repository, vault, subscriptions: new GraphSubscriptions(parts.graph), sync, feed, logger,
    notificationUrl: () => config.notificationUrl ?? `${parts.publicUrl()}${NOTIFICATIONS_PATH}`,
  });
  return {
    isEnabled: service.isEnabled,
    sync,
    service,
    feed,
    async start() {
      await feed.start();
      service.start();
    },
    async stop() {
      service.stop();
      await feed.stop();
    },
  };
}

export type LiveCalendar = ReturnType<typeof buildLiveCalendar>;
