// The programmatic control surface: faults, latency, token expiry and revocation, lifetimes, event field overrides, counters,
// external changes, notification delivery and delta tokens.
import { publicSubscription } from '../graph/subscription-store';
import type { SandboxState } from '../state';
import type { FaultSpec, LifecycleEvent, SandboxControl } from '../types';
import { applyExternalChange } from './external-changes';

const LIFECYCLE_EVENTS: LifecycleEvent[] = ['reauthorizationRequired', 'subscriptionRemoved', 'missed'];

export function createSandboxControl(state: SandboxState): SandboxControl {
  const userOf = (email: string) => {
    const user = state.directory.userByEmail(email);
    if (!user) throw new RangeError(`No sandbox user ${email}`);
    return user;
  };
  const userId = (email: string) => userOf(email).id;
  const subscription = (id: string) => {
    const found = state.subscriptions.byId(id);
    if (!found) throw new RangeError(`No active subscription ${id}`);
    return found;
  };
  return {
    injectFault: (fault: FaultSpec) => state.faults.inject(fault),
    setLatency: (ms: number, path?: string) => state.faults.setLatency(ms, path),
    expireAccessTokens: (email: string) => state.grants.expireAccessTokens(userId(email)),
    revokeRefreshTokens: (email: string) => state.grants.revokeRefreshTokens(userId(email)),
    setAccessTokenLifetime: (seconds: number) => {
      if (!Number.isFinite(seconds) || seconds < 1) throw new RangeError('seconds must be a positive number');
      state.accessTokenLifetimeSeconds = Math.floor(seconds);
    },
    overrideEventFields: (fields: Record<string, unknown>) => {
      if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) throw new RangeError('fields must be an object of Graph event fields');
      state.eventFieldOverrides = { ...fields };
    },
    counters: () => state.counters.snapshot(),
    resetCounters: () => state.counters.reset(),
    simulateExternalChange: (email, change) => applyExternalChange(state, userOf(email), change),
    deliverNotifications: () => state.notifier.deliverNotifications(),
    redeliverLastNotification: () => state.notifier.redeliverLast(),
    sendLifecycleNotification: async (subscriptionId, lifecycleEvent) => {
      const found = subscription(subscriptionId);
      if (!LIFECYCLE_EVENTS.includes(lifecycleEvent)) throw new RangeError(`lifecycleEvent must be one of ${LIFECYCLE_EVENTS.join(', ')}`);
      // Removed first, as Graph does: a receiver that looks the subscription up on notice finds it gone.
      if (lifecycleEvent === 'subscriptionRemoved') state.notifier.changeSubscriptions(() => state.subscriptions.remove(found.id));
      await state.notifier.sendLifecycle(found, lifecycleEvent);
    },
    subscriptions: (email?: string) => state.subscriptions.active()
      .filter((candidate) => email === undefined || candidate.userId === userId(email)).map(publicSubscription),
    expireDeltaTokens: (email: string) => state.deltaTokens.forgetUser(userId(email)),
    reset: () => {
      state.faults.clear();
      state.counters.reset();
      state.eventFieldOverrides = {};
    },
  };
}
