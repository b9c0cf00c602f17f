// The sandbox's tenants (Contoso, open to any app; Fabrikam, where only an administrator consents), their demo users and the registered applications.
import type { SandboxApp, SandboxUser } from './types';

export const SANDBOX_TENANT_ID = '6f1c2a9e-3b4d-4e5f-8a7b-0c1d2e3f4a5b';
export const SANDBOX_TENANT_DOMAIN = 'contoso.example';
/** A customer organization whose policy lets only administrators consent to apps (user consent turned off). */
export const ADMIN_CONSENT_TENANT_ID = '8d2e4f60-1a3b-4c5d-9e7f-a0b1c2d3e4f5';
export const ADMIN_CONSENT_TENANT_DOMAIN = 'fabrikam.example';

const TENANTS_REQUIRING_ADMIN_CONSENT = new Set([ADMIN_CONSENT_TENANT_ID]);

const person = (
  id: string, first: string, last: string, jobTitle: string, officeLocation: string, preferredLanguage: string,
  tenant: { id: string; domain: string } = { id: SANDBOX_TENANT_ID, domain: SANDBOX_TENANT_DOMAIN },
): SandboxUser => ({
  id, tenantId: tenant.id, email: `${first}.${last}@${tenant.domain}`.toLowerCase(),
  displayName: `${first} ${last}`, givenName: first, surname: last, jobTitle, officeLocation, preferredLanguage,
});
const fabrikam = { id: ADMIN_CONSENT_TENANT_ID, domain: ADMIN_CONSENT_TENANT_DOMAIN };

export function createDemoUsers(): SandboxUser[] {
  return [
    person('9f8e7d6c-5b4a-4392-8170-a1b2c3d4e5f6', 'Adele', 'Vance', 'Retail Manager', '18/2111', 'en-US'),
    person('1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', 'Alex', 'Wilber', 'Marketing Assistant', '131/1104', 'en-US'),
    person('2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e', 'Megan', 'Bowen', 'Marketing Manager', '12/1110', 'en-GB'),
    person('3c4d5e6f-7a8b-4c9d-8e1f-2a3b4c5d6e7f', 'Lidia', 'Holloway', 'Product Manager', '20/1101', 'fr-FR'),
    person('4d5e6f7a-8b9c-4d0e-9f2a-3b4c5d6e7f80', 'Diego', 'Siciliani', 'HR Manager', '14/1108', 'en-US', fabrikam),
    { ...person('5e6f7a8b-9c0d-4e1f-8a3b-4c5d6e7f8091', 'Patti', 'Fernandez', 'IT Administrator', '15/1102', 'en-US', fabrikam), isTenantAdmin: true },
  ];
}

/** Users by e-mail (case-insensitive) and by object id. */
export class Directory {
  private readonly apps = new Map<string, SandboxApp>();
  /** Client ids an administrator consented to, per tenant. */
  private readonly adminConsents = new Map<string, Set<string>>();

  constructor(readonly users: SandboxUser[], adminConsents: Array<[string, string[]]> = []) {
    for (const [tenantId, clientIds] of adminConsents) this.adminConsents.set(tenantId, new Set(clientIds));
  }

  /** Whether the tenant's policy keeps its users from signing in to the app until an administrator consents. */
  needsAdminConsent(tenantId: string, clientId: string): boolean {
    return TENANTS_REQUIRING_ADMIN_CONSENT.has(tenantId) && !this.adminConsents.get(tenantId)?.has(clientId);
  }

  grantAdminConsent(tenantId: string, clientId: string): void {
    const granted = this.adminConsents.get(tenantId) ?? new Set<string>();
    granted.add(clientId);
    this.adminConsents.set(tenantId, granted);
  }

  adminConsentSnapshot(): Array<[string, string[]]> {
    return [...this.adminConsents].map(([tenantId, clientIds]) => [tenantId, [...clientIds]]);
  }

  userByEmail(email: string): SandboxUser | undefined {
    const wanted = email.trim().toLowerCase();
    return this.users.find((user) => user.email === wanted);
  }

  userById(id: string): SandboxUser | undefined {
    return this.users.find((user) => user.id === id);
  }

  registerApp(app: SandboxApp): void {
    this.apps.set(app.clientId, { ...app, redirectUris: [...app.redirectUris] });
  }

  registeredApps(): SandboxApp[] {
    return [...this.apps.values()];
  }

  app(clientId: string): SandboxApp | undefined {
    return this.apps.get(clientId);
  }

  hasRedirectUri(uri: string): boolean {
    return [...this.apps.values()].some((app) => app.redirectUris.includes(uri));
  }
}
