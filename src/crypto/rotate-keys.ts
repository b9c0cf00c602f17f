// Re-encrypts every stored token value under the current (first) key, in one transaction.
import { ALL_CHANNELS } from '../config/channels';
import type { OpenedDatabase } from '../db/database';
import type { TokenVault } from '../tokens/token-vault';
import type { TokensRepository } from '../tokens/tokens.repository';
import type { TokenCipher } from './token-cipher';

export function reencryptAllTokens(database: OpenedDatabase, tokens: TokensRepository, vault: TokenVault, cipher: TokenCipher): number {
  let rewritten = 0;
  database.sqlite.transaction(() => {
    for (const channel of ALL_CHANNELS) {
      for (const row of tokens.listEncrypted(channel)) {
        if (!cipher.needsReencryption(row.tokenCacheEncrypted)) continue;
        const plaintext = vault.open(channel, row.userId, row.tokenCacheEncrypted);
        tokens.replaceEncrypted(channel, row.userId, vault.seal(channel, row.userId, plaintext));
        rewritten += 1;
      }
    }
  })();
  return rewritten;
}
