// The binding cookie's attributes follow PUBLIC_URL: Secure behind https, scoped to the sign-in routes under its path.
import { bindingCookieOptions } from '../../src/auth/binding-cookie';

describe('bindingCookieOptions', () => {
  it.each([
    ['http://localhost:4000', false, '/auth/microsoft'],
    ['https://gateway.example', true, '/auth/microsoft'],
    ['https://example.com/gateway/', true, '/gateway/auth/microsoft'],
  ])('for %s: Secure %s, Path %s, always HttpOnly and SameSite=Lax', (publicUrl, secure, path) => {
    expect(bindingCookieOptions(publicUrl)).toEqual({ httpOnly: true, sameSite: 'lax', secure, path });
  });
});
