// The sandbox tenant: its demo users and the registered applications.
import type { SandboxApp, SandboxUser } from './types';

export const SANDBOX_TENANT_ID = '6f1c2a9e-3b4d-4e5f-8a7b-0c1d2e3f4a5b';
export const SANDBOX_TENANT_DOMAIN = 'contoso.example';

const person = (id: string, first: string, last: string, jobTitle: string, officeLocation: string, preferredLanguage: string): SandboxUser => ({
  id, tenantId: SANDBOX_TENANT_ID, email: `${first}.${last}@${SANDBOX_TENANT_DOMAIN}`.toLowerCase(),
  displayName: `${first} ${last}`, givenName: first, surname: last, jobTitle, officeLocation, preferredLanguage,
});

export function createDemoUsers(): SandboxUser[] {
  return [
    person('9f8e7d6c-5b4a-4392-8170-a1b2c3d4e5f6', 'Adele', 'Vance', 'Retail Manager', '18/2111', 'en-US'),
    person('1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', 'Alex', 'Wilber', 'Marketing Assistant', '131/1104', 'en-US'),
    person('2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e', 'Megan', 'Bowen', 'Marketing Manager', '12/1110', 'en-GB'),
    person('3c4d5e6f-7a8b-4c9d-8e1f-2a3b4c5d6e7f', 'Lidia', 'Holloway', 'Product Manager', '20/1101', 'fr-FR'),
  ];
}

/** Users by e-mail (case-insensitive) and by object id. */
export class Directory {
  private readonly apps = new Map<string, SandboxApp>();

  constructor(readonly users: SandboxUser[]) {}

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
