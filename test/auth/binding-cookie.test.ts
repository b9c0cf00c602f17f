// The binding cookie's attributes follow PUBLIC_URL: Secure behind https, scoped to the sign-in routes under its path.
import { bindingCookieOptions } from '../../src/auth/binding-cookie';

describe('bindingCookieOptions', () => {
  it.each([
    ['http://localhost:4000', false, '/auth/microsoft'],
    ['http://localhost:4000/gateway/', false, '/gateway/auth/microsoft'],
    // __Host- cookies (behind https) must have Path=/.
    ['https://gateway.example', true, '/'],
    ['https://example.com/gateway/', true, '/'],
  ])('for %s: Secure %s, Path %s, always HttpOnly and SameSite=Lax', (publicUrl, secure, path) => {
    expect(bindingCookieOptions(publicUrl)).toEqual({ httpOnly: true, sameSite: 'lax', secure, path });
  });
});
