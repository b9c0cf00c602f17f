// Who may read /metrics: the bearer METRICS_TOKEN when one is set; otherwise, in production, loopback callers only.
import { BlockList, isIP } from 'node:net';
import { constantTimeEquals } from '../crypto/secrets';

export interface MetricsAccessPolicy {
  /** METRICS_TOKEN: when set, every scrape must present it, wherever it comes from. */
  token?: string;
  isProduction: boolean;
}

export interface MetricsCaller {
  /** The token of an `Authorization: Bearer …` header. */
  bearerToken?: string;
  /** The TCP peer (never X-Forwarded-For, which any client can write). */
  socketAddress?: string;
  /** Whether the request carries a proxy's forwarding header (Forwarded, X-Forwarded-For, X-Real-IP). */
  isForwarded?: boolean;
}

export type MetricsAccess = 'allowed' | 'needs-token' | 'loopback-only';

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** 127.0.0.0/8 and ::1, also written as IPv4-mapped IPv6 (::ffff:127.0.0.1), which dual-stack sockets report. */
export function isLoopbackAddress(address: string | undefined): boolean {
  const family = address ? isIP(address) : 0;
  if (family === 0) return false;
  return loopback.check(address!, family === 6 ? 'ipv6' : 'ipv4');
}

export function metricsAccessFor(policy: MetricsAccessPolicy, caller: MetricsCaller): MetricsAccess {
  if (policy.token) {
    return caller.bearerToken && constantTimeEquals(caller.bearerToken, policy.token) ? 'allowed' : 'needs-token';
  }
  // Metrics name operations, routes and error rates: in production they stay on the host unless a token guards them.
  // A proxy or sidecar on the same host connects from loopback too, on behalf of anyone: its forwarded requests are
  // not the host's own.
  if (policy.isProduction && (!isLoopbackAddress(caller.socketAddress) || caller.isForwarded)) return 'loopback-only';
  return 'allowed';
}
