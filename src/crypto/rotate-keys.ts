// Re-encrypts every stored token value under the current (first) key, in one transaction.
import type { TokenVault } from '../tokens/token-vault';
import type { TokensRepository } from '../tokens/tokens.repository';
import type { TokenCipher } from './token-cipher';

export function reencryptAllTokens(tokens: TokensRepository, vault: TokenVault, cipher: TokenCipher): Promise<number> {
  return tokens.rewriteAllEncrypted((channel, userId, envelope) => {
    if (!cipher.needsReencryption(envelope)) return undefined;
    return vault.seal(channel, userId, vault.open(channel, userId, envelope));
  });
}
