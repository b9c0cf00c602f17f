// Builds msal-node ConfidentialClientApplications: one per channel for authorization URLs, one per (user, channel) for tokens.
import type https from 'node:https';
import {
  type ClientAssertionCallback,
  ConfidentialClientApplication,
  type Configuration,
  type ICachePlugin,
  type INetworkModule,
  type TokenCacheContext,
} from '@azure/msal-node';
import { LRUCache } from 'lru-cache';
import type { Channel } from '../config/channels';
import type { ChannelSettings, GatewayConfig } from '../config/config.types';
import { clientAssertionSigner } from './client-assertion';
import { createMsalNetworkClient, createTrustedAgent } from './trusted-https';

/** Where a user's serialized msal-node cache partition lives (the encrypted token table). */
export interface CachePartitionStore {
  /** The user's serialized cache on the channel, or undefined when there is none. Throws when it cannot be read. */
  load(channel: Channel, userId: string): Promise<string | undefined>;
  /** Called when msal-node changed the cache (a refresh rotated the refresh token, an account was removed). */
  save(channel: Channel, userId: string, serializedCache: string): Promise<void>;
}

export interface MsalClientsOptions {
  /** The OpenID metadata of a tenant, when running against the in-process sandbox (skips the discovery request). */
  authorityMetadata?: (tenant: string) => string;
  networkClient?: INetworkModule;
  /** How many per-user applications stay in memory. */
  maxUserApplications?: number;
  requestTimeoutMs?: number;
}

/**
 * One shared application object wrote two users' logins under one partition key (seen with msal-node 7), so
 * token work runs on an application bound to exactly one user's partition through its cache plugin.
 */
export class MsalClients {
  private readonly channelApps = new Map<Channel, ConfidentialClientApplication>();
  private readonly userApps: LRUCache<string, ConfidentialClientApplication>;
  private readonly networkClient: INetworkModule;
  /** The keep-alive agent behind our own network client; destroyed by close(). */
  private readonly agent?: https.Agent;
  /** OpenID metadata per authority, fetched once: each new application would otherwise fetch it again. */
  private readonly discoveredMetadata = new Map<string, string>();
  private readonly discovering = new Set<string>();
  /** One signer per channel with a certificate: its private key is parsed once. */
  private readonly assertionSigners = new Map<Channel, ClientAssertionCallback>();

  constructor(
    private readonly config: Pick<GatewayConfig, 'authorityHost' | 'extraCaPem' | 'channels'>,
    private readonly partitions: CachePartitionStore,
    private readonly options: MsalClientsOptions = {},
  ) {
    this.agent = options.networkClient ? undefined : createTrustedAgent({ caPem: config.extraCaPem });
    this.networkClient = options.networkClient ?? createMsalNetworkClient(this.agent!, options.requestTimeoutMs ?? 10_000);
    // Each application keeps its user's deserialized token cache in memory, yet reloads the stored partition on every
    // access anyway, and TokenService answers most calls from its own memory: a thousand recent users are plenty.
    this.userApps = new LRUCache({ max: options.maxUserApplications ?? 1_000 });
  }

  /** Closes the idle keep-alive sockets to the identity platform, so a stopped gateway leaves none open. */
  close(): void {
    this.agent?.destroy();
  }

  /** The channel's application for authorization URLs; built once. */
  channelApp(channel: Channel): ConfidentialClientApplication {
    let app = this.channelApps.get(channel);
    if (!app) {
      app = new ConfidentialClientApplication(this.configuration(this.config.channels[channel]));
      this.channelApps.set(channel, app);
    }
    return app;
  }

  /** A fresh application with an empty, unpersisted cache: it redeems one authorization code. */
  redemptionApp(channel: Channel): ConfidentialClientApplication {
    return new ConfidentialClientApplication(this.configuration(this.config.channels[channel]));
  }

  /** The application bound to one user's cache partition on the channel. */
  userApp(channel: Channel, userId: string): ConfidentialClientApplication {
    const key = partitionKey(channel, userId);
    let app = this.userApps.get(key);
    if (!app) {
      app = new ConfidentialClientApplication(this.configuration(this.config.channels[channel], this.partitionPlugin(channel, userId)));
      this.userApps.set(key, app);
    }
    return app;
  }

  /** Drops a user's application, e.g. after a failure msal-node would otherwise replay from memory for a while. */
  forgetUser(channel: Channel, userId: string): void {
    this.userApps.delete(partitionKey(channel, userId));
  }

  /** Cached metadata of the authority, or undefined while the first fetch runs (msal-node then fetches it itself). */
  private metadataFor(authority: string): string | undefined {
    const cached = this.discoveredMetadata.get(authority);
    if (!cached && !this.discovering.has(authority)) void this.discover(authority);
    return cached;
  }

  private async discover(authority: string): Promise<void> {
    this.discovering.add(authority);
    try {
      // The same document msal-node would fetch: https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc
      const response = await this.networkClient.sendGetRequestAsync<unknown>(`${authority}/v2.0/.well-known/openid-configuration`);
      if (response.status === 200 && isOpenIdMetadata(response.body)) this.discoveredMetadata.set(authority, JSON.stringify(response.body));
    } catch {
      // Discovery is an optimisation: msal-node fetches the document itself while none is cached.
    } finally {
      this.discovering.delete(authority);
    }
  }

  private partitionPlugin(channel: Channel, userId: string): ICachePlugin {
    const partitions = this.partitions;
    return {
      async beforeCacheAccess(context: TokenCacheContext) {
        // Always the stored copy: a sign-in elsewhere may have replaced it since the last call.
        context.tokenCache.deserialize((await partitions.load(channel, userId)) ?? '{}');
      },
      async afterCacheAccess(context: TokenCacheContext) {
        if (context.cacheHasChanged) await partitions.save(channel, userId, context.tokenCache.serialize());
      },
    };
  }

  /**
   * A certificate wins over a secret (msal-node refuses both at once): each token request then carries a fresh assertion
   * signed with the key, and the secret is never sent.
   */
  private clientCredential(settings: ChannelSettings): Pick<Configuration['auth'], 'clientSecret' | 'clientAssertion'> {
    const certificate = settings.clientCertificate;
    if (!certificate) return { clientSecret: settings.clientSecret };
    let signer = this.assertionSigners.get(settings.channel);
    if (!signer) {
      signer = clientAssertionSigner(certificate);
      this.assertionSigners.set(settings.channel, signer);
    }
    return { clientAssertion: signer };
  }

  private configuration(settings: ChannelSettings, cachePlugin?: ICachePlugin): Configuration {
    const authority = `${this.config.authorityHost}/${settings.tenantId}`;
    const metadata = this.options.authorityMetadata?.(settings.tenantId) ?? this.metadataFor(authority);
    return {
      auth: {
        clientId: settings.clientId ?? '',
        ...this.clientCredential(settings),
        authority,
        // A known authority skips instance discovery against Microsoft's public cloud.
        knownAuthorities: [new URL(this.config.authorityHost).host],
        ...(metadata ? { authorityMetadata: metadata } : {}),
      },
      system: { networkClient: this.networkClient },
      ...(cachePlugin ? { cache: { cachePlugin } } : {}),
    };
  }
}

function isOpenIdMetadata(body: unknown): body is Record<string, unknown> {
  const document = body as Record<string, unknown> | null;
  return typeof document?.authorization_endpoint === 'string' && typeof document?.token_endpoint === 'string' && typeof document?.issuer === 'string';
}

function partitionKey(channel: Channel, userId: string): string {
  return `${channel}:${userId}`;
}
