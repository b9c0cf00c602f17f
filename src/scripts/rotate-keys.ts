// npm run keys:rotate: re-encrypts stored tokens under the first TOKEN_ENCRYPTION_KEY.
import { loadConfig } from '../config/load-config';
import { createTokenCipher } from '../crypto/token-cipher';
import { reencryptAllTokens } from '../crypto/rotate-keys';
import { openSqliteDatabase } from '../db/database';
import { TokenVault } from '../tokens/token-vault';
import { SqliteTokensRepository } from '../tokens/tokens.repository';

async function main(): Promise<void> {
  const config = loadConfig();
  const database = openSqliteDatabase(config.databaseUrl);
  try {
    const cipher = createTokenCipher(config.secretKey, config.tokenEncryptionKeys);
    const rewritten = await reencryptAllTokens(new SqliteTokensRepository(database.db), new TokenVault(cipher), cipher);
    process.stdout.write(`re-encrypted ${rewritten} stored token value(s) under key ${cipher.currentKeyId}\n`);
  } finally {
    database.close();
  }
}

main().catch((error: unknown) => {
  // The message only: a stack or cause could carry configuration values.
  process.stderr.write(`key rotation failed: ${(error as Error)?.message ?? String(error)}\n`);
  process.exitCode = 1;
});
