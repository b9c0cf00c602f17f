// Figure 3: users whose access tokens are inside msal-node's 5-minute refresh window, each sending concurrent queries at once.
import { mapWithConcurrency, postGraphQL, signInThroughGateway } from '../support/clients';
import { benchUserEmail } from '../support/bench-environment';
import type { ResultRow } from '../support/stats';
import type { BenchContext } from './context';

/** Shorter than msal-node's 300 s renewal offset: every token is due for refresh the moment it is issued. */
const SHORT_LIFETIME_SECONDS = 240;
/** Each query needs the user's access token: the profile is the one Graph read the run-time users' empty mailboxes answer. */
const PROFILE_QUERY = '{ microsoftProfile { id displayName mail } }';

export async function measureRefreshStorm(context: BenchContext, rows: ResultRow[], firstUserIndex: number): Promise<void> {
  const { environment, gateway, options } = context;
  const { control } = environment.sandbox;
  const emails = Array.from({ length: options.stormUsers }, (_, index) => benchUserEmail(firstUserIndex + index));
  control.setAccessTokenLifetime(SHORT_LIFETIME_SECONDS);
  let sessionTokens: string[];
  try {
    sessionTokens = await mapWithConcurrency(emails, 8, (email) => signInThroughGateway(gateway.url, context.sandboxAgent, email));
  } finally {
    // Refreshed tokens live an hour again, so each user needs exactly one refresh.
    control.setAccessTokenLifetime(3600);
  }
  control.resetCounters();
  const cpuBefore = gateway.cpuMs();
  const startedAt = performance.now();
  const answers = await Promise.all(sessionTokens.flatMap((token) =>
    Array.from({ length: options.stormQueriesPerUser }, () =>
      postGraphQL(gateway.url, PROFILE_QUERY, { token }).catch((error: Error) => ({ status: 0, errors: [{ message: error.message, extensions: { code: 'CLIENT_ERROR' } }] })),
    )));
  const drainMs = performance.now() - startedAt;
  const cpuMs = gateway.cpuMs() - cpuBefore;
  const counters = control.counters();
  const refreshes = counters.tokenGrants.refresh_token;
  const perUser = emails.map((email) => counters.refreshGrantsByUser[email] ?? 0);
  const usersWithOneRefresh = perUser.filter((count) => count === 1).length;
  const failed = answers.filter((answer) => answer.errors && answer.errors.length > 0);
  const failureCodes = [...new Set(failed.map((answer) => String(answer.errors?.[0]?.extensions?.code)))].join(', ');
  rows.push(
    { key: 'storm.users', label: 'refresh storm: users x concurrent queries', value: `${options.stormUsers} x ${options.stormQueriesPerUser}` },
    { key: 'storm.refreshGrants', label: 'refresh grants counted by the sandbox', value: refreshes, target: `= ${options.stormUsers}`, meetsTarget: refreshes === options.stormUsers },
    { key: 'storm.usersWithExactlyOneRefresh', label: 'users refreshed exactly once', value: usersWithOneRefresh, target: `= ${options.stormUsers}`, meetsTarget: usersWithOneRefresh === options.stormUsers },
    { key: 'storm.failedQueries', label: 'storm queries that failed', value: failed.length, target: '0', meetsTarget: failed.length === 0 },
    ...(failureCodes ? [{ key: 'storm.failureCodes', label: 'storm failure codes', value: failureCodes }] : []),
    { key: 'storm.drainMs', label: 'time to drain the storm', value: drainMs, unit: 'ms' },
    { key: 'storm.gatewayCpuMs', label: 'gateway CPU used by the storm', value: cpuMs, unit: 'ms' },
  );
}
