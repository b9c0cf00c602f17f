import { checkIdTokenClaims, CONSUMERS_TENANT_ID } from '../../src/auth/id-token-checks';
import { allowedReturnUrl } from '../../src/auth/return-to';

const TENANT = '6f1c2a9e-3b4d-4e5f-8a7b-0c1d2e3f4a5b';
const OID = '9f8e7d6c-5b4a-4392-8170-a1b2c3d4e5f6';
const NOW = 1_800_000_000;
const claims = { aud: 'client-1', tid: TENANT, oid: OID, exp: NOW + 3600, name: 'Adele Vance', preferred_username: 'adele@contoso.example' };
const expected = { clientId: 'client-1', configuredTenant: 'common', allowedTenants: [] as string[], nowSeconds: NOW };
const OTHER_TENANT = '22222222-3333-4444-8555-666666666666';

describe('checkIdTokenClaims', () => {
  it('accepts matching claims and reads the identity', () => {
    expect(checkIdTokenClaims(claims, expected)).toEqual({
      ok: true,
      identity: { tenantId: TENANT, objectId: OID, email: 'adele@contoso.example', displayName: 'Adele Vance' },
    });
  });

  it.each([
    ['another audience', { ...claims, aud: 'client-2' }, expected, 'audience'],
    ['no tenant id', { ...claims, tid: undefined }, expected, 'tenant'],
    ['another tenant than the configured GUID', claims, { ...expected, configuredTenant: '11111111-2222-4333-8444-555555555555' }, 'tenant'],
    ['a personal account on organizations', { ...claims, tid: CONSUMERS_TENANT_ID }, { ...expected, configuredTenant: 'organizations' }, 'tenant'],
    ['a work account on consumers', claims, { ...expected, configuredTenant: 'consumers' }, 'tenant'],
    ['no object id', { ...claims, oid: undefined }, expected, 'object_id'],
    ['a tenant outside the allowed tenants', claims, { ...expected, allowedTenants: [OTHER_TENANT] }, 'tenant_not_allowed'],
    ['an expired token', { ...claims, exp: NOW - 3600 }, expected, 'expired'],
    ['no claims', undefined, expected, 'missing'],
  ])('refuses %s', (_name, given, expectation, problem) => {
    expect(checkIdTokenClaims(given as Record<string, unknown> | undefined, expectation)).toEqual({ ok: false, problem });
  });

  it('accepts a tenant on the allowed list, given in any case', () => {
    const result = checkIdTokenClaims({ ...claims, tid: TENANT.toUpperCase() }, { ...expected, allowedTenants: [OTHER_TENANT, TENANT] });
    expect(result).toEqual({ ok: true, identity: expect.objectContaining({ tenantId: TENANT.toUpperCase(), objectId: OID }) });
  });

  it('accepts the tenant given as its GUID in any case', () => {
    expect(checkIdTokenClaims(claims, { ...expected, configuredTenant: TENANT.toUpperCase() }).ok).toBe(true);
  });
});

describe('allowedReturnUrl', () => {
  const origins = ['https://app.example', 'http://localhost:3000'];
  it.each([
    ['https://app.example/after?x=1', 'https://app.example/after?x=1'],
    ['http://localhost:3000/', 'http://localhost:3000/'],
    ['https://app.example.evil.example/', undefined],
    ['https://user:pw@app.example/', undefined],
    ['http://app.example/', undefined],
    ['javascript:alert(1)', undefined],
    ['//app.example/', undefined],
    ['not a url', undefined],
  ])('%s → %s', (returnTo, result) => {
    expect(allowedReturnUrl(returnTo, origins)).toBe(result);
  });
});
