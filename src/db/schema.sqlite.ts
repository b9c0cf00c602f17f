// SQLite tables of the gateway (Drizzle). Timestamps are Unix milliseconds.
import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    microsoftUserId: text('microsoft_user_id').notNull(),
    displayName: text('display_name'),
    email: text('email'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (table) => [uniqueIndex('users_identity_idx').on(table.tenantId, table.microsoftUserId)],
);

export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    /** HMAC-SHA256 of the session token under a key derived from SECRET_KEY; the token itself is never stored. */
    tokenHash: text('token_hash').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    revokedAt: integer('revoked_at'),
    lastSeenAt: integer('last_seen_at'),
  },
  (table) => [uniqueIndex('sessions_token_hash_idx').on(table.tokenHash), index('sessions_user_idx').on(table.userId)],
);

export const oauthStates = sqliteTable(
  'oauth_states',
  {
    /** SHA-256 of the state sent to Microsoft. */
    stateHash: text('state_hash').primaryKey(),
    channel: text('channel').notNull(),
    /** PKCE verifier, encrypted and bound to this state. */
    codeVerifierEncrypted: text('code_verifier_encrypted').notNull(),
    nonce: text('nonce').notNull(),
    returnTo: text('return_to'),
    linkUserId: text('link_user_id').references(() => users.id, { onDelete: 'cascade' }),
    /** SHA-256 of the completion secret startMicrosoftSignIn handed out; null only for rows from before migration 0002. */
    completionSecretHash: text('completion_secret_hash'),
    /** SHA-256 of the browser binding cookie, set once when a browser opens the start route. */
    browserBindingHash: text('browser_binding_hash'),
    /** Microsoft's authorization URL the start route redirects to, encrypted and bound to this state. */
    authorizationUrlEncrypted: text('authorization_url_encrypted'),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    consumedAt: integer('consumed_at'),
  },
  (table) => [index('oauth_states_expires_idx').on(table.expiresAt)],
);

/** One table per channel, same shape: the channel-to-table choice lives in channel-tables.ts. */
function microsoftTokenTable(name: string) {
  return sqliteTable(
    name,
    {
      id: text('id').primaryKey(),
      userId: text('user_id')
        .notNull()
        .references(() => users.id, { onDelete: 'cascade' }),
      microsoftUserId: text('microsoft_user_id').notNull(),
      tenantId: text('tenant_id').notNull(),
      homeAccountId: text('home_account_id').notNull(),
      email: text('email'),
      displayName: text('display_name'),
      /** msal-node's serialized cache partition for this user (refresh token inside), encrypted. */
      tokenCacheEncrypted: text('token_cache_encrypted').notNull(),
      scopes: text('scopes').notNull().default(''),
      accessTokenExpiresAt: integer('access_token_expires_at'),
      lastUsedAt: integer('last_used_at'),
      lastRefreshedAt: integer('last_refreshed_at'),
      refreshFailureCount: integer('refresh_failure_count').notNull().default(0),
      lastErrorCode: text('last_error_code'),
      isActive: integer('is_active', { mode: 'boolean' }).notNull().default(true),
      /** ACTIVE, REFRESH_FAILING or NEEDS_RECONNECT (src/lifecycle/connection-status.ts); is_active and needs_reconnect follow it. */
      status: text('status', { enum: ['ACTIVE', 'REFRESH_FAILING', 'NEEDS_RECONNECT'] }).notNull().default('ACTIVE'),
      /** When refreshes began failing transiently; the give-up period counts from here. */
      refreshFailingSince: integer('refresh_failing_since'),
      /** Earliest time the background sweep tries a failing connection again (backoff). */
      nextRefreshAt: integer('next_refresh_at'),
      needsReconnect: integer('needs_reconnect', { mode: 'boolean' }).notNull().default(false),
      createdAt: integer('created_at').notNull(),
      updatedAt: integer('updated_at').notNull(),
    },
    (table) => [
      uniqueIndex(`${name}_user_idx`).on(table.userId),
      index(`${name}_microsoft_user_idx`).on(table.tenantId, table.microsoftUserId),
      index(`${name}_email_idx`).on(table.email),
      // is_active beside the expiry: "expiring soon" counts active rows without reading each row (rows are kilobytes).
      index(`${name}_expiry_active_idx`).on(table.accessTokenExpiresAt, table.isActive),
      index(`${name}_state_idx`).on(table.isActive, table.needsReconnect),
      // The sweep's question: which connections still refreshable were refreshed longest ago.
      index(`${name}_sweep_idx`).on(table.status, table.lastRefreshedAt),
    ],
  );
}

export const microsoftOauthTokens = microsoftTokenTable('microsoft_oauth_tokens');
export const betaMicrosoftOauthTokens = microsoftTokenTable('beta_microsoft_oauth_tokens');
export type MicrosoftTokenTable = typeof microsoftOauthTokens;

export const tokenEvents = sqliteTable(
  'token_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    channel: text('channel').notNull(),
    userId: text('user_id').references(() => users.id, { onDelete: 'set null' }),
    kind: text('kind', {
      enum: ['signed_in', 'refreshed', 'refresh_failed', 'reconnect_required', 'disconnected'],
    }).notNull(),
    errorCode: text('error_code'),
    createdAt: integer('created_at').notNull().default(sql`(unixepoch() * 1000)`),
  },
  (table) => [index('token_events_channel_kind_time_idx').on(table.channel, table.kind, table.createdAt)],
);

export type TokenEventKind = (typeof tokenEvents.$inferInsert)['kind'];

/** Connection events waiting for, or done with, delivery to WEBHOOK_URL: written in the transaction that changed the connection. */
export const webhookOutbox = sqliteTable(
  'webhook_outbox',
  {
    /** Also the webhook-id header: the same on every attempt, so receivers can drop repeats. */
    id: text('id').primaryKey(),
    type: text('type').notNull(),
    /** The JSON body sent, exactly; it never holds a token. */
    payload: text('payload').notNull(),
    createdAt: integer('created_at').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    /** An instance sending the row holds it until then; past it, another may claim it (the first one crashed). */
    claimedUntil: integer('claimed_until'),
    deliveredAt: integer('delivered_at'),
    /** Set when retries ran out. */
    failedAt: integer('failed_at'),
    lastError: text('last_error'),
  },
  (table) => [index('webhook_outbox_due_idx').on(table.deliveredAt, table.failedAt, table.nextAttemptAt), index('webhook_outbox_created_idx').on(table.createdAt)],
);

/** Named leases with an expiry: one instance runs a background job (the refresh sweep) at a time, and a crashed holder's lease lapses. */
export const leases = sqliteTable('leases', {
  name: text('name').primaryKey(),
  holder: text('holder').notNull(),
  expiresAt: integer('expires_at').notNull(),
});

/** One row per connection whose calendar is kept in step with Graph: its change subscription, delta link and lease. */
export const calendarSyncs = sqliteTable(
  'calendar_syncs',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    channel: text('channel').notNull(),
    /** Graph's subscription id; null until one is created (or after Microsoft removed it). */
    subscriptionId: text('subscription_id'),
    /** The random clientState Graph echoes in every notification, encrypted and bound to this user and channel. */
    clientStateEncrypted: text('client_state_encrypted'),
    subscriptionExpiresAt: integer('subscription_expires_at'),
    /** Graph's deltaLink of the last completed round (its token reads the mailbox), encrypted; null means a full sync is due. */
    deltaLinkEncrypted: text('delta_link_encrypted'),
    windowStart: integer('window_start').notNull(),
    windowEnd: integer('window_end').notNull(),
    /** True while the stored events match Graph as of the last notification; false after a gap until a resync completes. */
    isCurrent: integer('is_current', { mode: 'boolean' }).notNull().default(false),
    /** Until when a client listens to this connection's changes on some instance (MICROSOFT_SUBSCRIPTIONS=on-demand). */
    listenersUntil: integer('listeners_until'),
    /** The instance that renews and deletes the subscription, and until when it holds that job. */
    leaseOwner: text('lease_owner'),
    leaseUntil: integer('lease_until'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (table) => [
    uniqueIndex('calendar_syncs_user_channel_idx').on(table.userId, table.channel),
    uniqueIndex('calendar_syncs_subscription_idx').on(table.subscriptionId),
  ],
);

/** The events of a synced calendar window, each encrypted and bound to its user, channel and event id. */
export const syncedEvents = sqliteTable(
  'synced_events',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    channel: text('channel').notNull(),
    eventId: text('event_id').notNull(),
    /** Graph's event JSON (UTC times), encrypted. */
    eventEncrypted: text('event_encrypted').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (table) => [uniqueIndex('synced_events_user_channel_event_idx').on(table.userId, table.channel, table.eventId)],
);
