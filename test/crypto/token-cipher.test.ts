import { randomBytes } from 'node:crypto';
import { DecryptionError, TokenCipher, createTokenCipher } from '../../src/crypto/token-cipher';

describe('TokenCipher', () => {
  const key = randomBytes(32);
  const cipher = new TokenCipher([key]);

  it('round-trips a value bound to its row', () => {
    const envelope = cipher.encrypt('refresh-token-material', 'row:main:user-1');
    expect(envelope).toMatch(/^v1\.[A-Za-z0-9_-]{8}\./);
    expect(envelope).not.toContain('refresh-token-material');
    expect(cipher.decrypt(envelope, 'row:main:user-1')).toBe('refresh-token-material');
  });

  it('uses a fresh nonce for every value', () => {
    expect(cipher.encrypt('same', 'row')).not.toBe(cipher.encrypt('same', 'row'));
  });

  it('detects any flipped byte of the payload', () => {
    const envelope = cipher.encrypt('secret material', 'row');
    const [version, id, payload] = envelope.split('.');
    const bytes = Buffer.from(payload, 'base64url');
    for (let index = 0; index < bytes.length; index += 1) {
      const tampered = Buffer.from(bytes);
      tampered[index] ^= 0x01;
      expect(() => cipher.decrypt(`${version}.${id}.${tampered.toString('base64url')}`, 'row')).toThrow(DecryptionError);
    }
  });

  it('refuses a value copied into another row', () => {
    const envelope = cipher.encrypt('material', 'row:main:user-1');
    expect(() => cipher.decrypt(envelope, 'row:main:user-2')).toThrow(DecryptionError);
    expect(() => cipher.decrypt(envelope, 'row:beta:user-1')).toThrow(DecryptionError);
  });

  it('reads values of an older key after rotation and writes with the new one', () => {
    const oldKey = randomBytes(32);
    const before = new TokenCipher([oldKey]).encrypt('material', 'row');
    const rotated = new TokenCipher([randomBytes(32), oldKey]);
    expect(rotated.decrypt(before, 'row')).toBe('material');
    expect(rotated.needsReencryption(before)).toBe(true);
    expect(rotated.needsReencryption(rotated.encrypt('material', 'row'))).toBe(false);
  });

  it('says which key is missing when the value was written under an unknown key', () => {
    const envelope = new TokenCipher([randomBytes(32)]).encrypt('material', 'row');
    expect(() => cipher.decrypt(envelope, 'row')).toThrow(/is not configured/);
  });

  it('derives a stable key from SECRET_KEY when no explicit key is set', () => {
    const secret = Buffer.from('a-root-secret-that-is-long-enough-for-hkdf');
    const envelope = createTokenCipher(secret, []).encrypt('material', 'row');
    expect(createTokenCipher(secret, []).decrypt(envelope, 'row')).toBe('material');
    expect(() => createTokenCipher(Buffer.from('another-secret-that-is-long-enough-xx'), []).decrypt(envelope, 'row')).toThrow(DecryptionError);
  });

  it('still reads values under the key derived from SECRET_KEY once TOKEN_ENCRYPTION_KEY is set, and writes with the explicit key', () => {
    const secret = Buffer.from('a-root-secret-that-is-long-enough-for-hkdf');
    const before = createTokenCipher(secret, []).encrypt('material', 'row');
    const explicitKey = randomBytes(32);
    const withExplicitKey = createTokenCipher(secret, [explicitKey]);
    expect(withExplicitKey.decrypt(before, 'row')).toBe('material');
    expect(withExplicitKey.needsReencryption(before)).toBe(true);
    expect(new TokenCipher([explicitKey]).decrypt(withExplicitKey.encrypt('material', 'row'), 'row')).toBe('material');
  });
});
