// Scope parsing as the v2.0 endpoint does it: OIDC scopes apart, Graph scopes in short form, '.default' expanded.
// https://learn.microsoft.com/entra/identity-platform/scopes-oidc

const OIDC_SCOPES = ['openid', 'profile', 'email', 'offline_access'];
const GRAPH_RESOURCES = ['https://graph.microsoft.com/', '00000003-0000-0000-c000-000000000000/'];
/** What every sandbox app registration has been granted (its "static" permissions for '.default'). */
export const DEFAULT_GRAPH_SCOPES = ['User.Read', 'Calendars.ReadWrite'];

export interface RequestedScopes {
  oidc: string[];
  graph: string[];
}

function shortGraphScope(scope: string): string {
  const resource = GRAPH_RESOURCES.find((prefix) => scope.toLowerCase().startsWith(prefix.toLowerCase()));
  return resource ? scope.slice(resource.length) : scope;
}

export function parseScopes(raw: string | undefined): RequestedScopes {
  const oidc: string[] = [];
  const graph: string[] = [];
  for (const scope of (raw ?? '').split(/\s+/).filter(Boolean)) {
    const lower = scope.toLowerCase();
    if (OIDC_SCOPES.includes(lower)) {
      if (!oidc.includes(lower)) oidc.push(lower);
      continue;
    }
    const short = shortGraphScope(scope);
    const expanded = short === '.default' ? DEFAULT_GRAPH_SCOPES : [short];
    for (const name of expanded) {
      if (!graph.some((existing) => existing.toLowerCase() === name.toLowerCase())) graph.push(name);
    }
  }
  return { oidc, graph };
}

/**
 * The `scope` field of a token response: Graph scopes in short form followed by the OIDC scopes other
 * than offline_access, as real responses for Graph read ("User.Read Calendars.ReadWrite openid profile").
 */
export function grantedScopeString(scopes: RequestedScopes): string {
  return [...scopes.graph, ...scopes.oidc.filter((scope) => scope !== 'offline_access')].join(' ');
}
