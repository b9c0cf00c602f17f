// The programmatic control surface: faults, latency, token expiry and revocation, lifetimes, event field overrides, counters.
import type { SandboxState } from '../state';
import type { FaultSpec, SandboxControl } from '../types';

export function createSandboxControl(state: SandboxState): SandboxControl {
  const userId = (email: string) => {
    const user = state.directory.userByEmail(email);
    if (!user) throw new RangeError(`No sandbox user ${email}`);
    return user.id;
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
    reset: () => {
      state.faults.clear();
      state.counters.reset();
      state.eventFieldOverrides = {};
    },
  };
}
