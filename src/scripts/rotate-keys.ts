// npm run keys:rotate: re-encrypts stored tokens (SQLite or PostgreSQL) under the first TOKEN_ENCRYPTION_KEY.
import { loadConfig } from '../config/load-config';
import { createTokenCipher } from '../crypto/token-cipher';
import { reencryptAllTokens } from '../crypto/rotate-keys';
import { openDatabase } from '../db/database';
import { describeDatabaseError } from '../db/database-errors';
import { buildRepositories } from '../services';
import { TokenVault } from '../tokens/token-vault';

async function main(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase(config.databaseUrl);
  try {
    const cipher = createTokenCipher(config.secretKey, config.tokenEncryptionKeys);
    const rewritten = await reencryptAllTokens((await buildRepositories(database)).tokens, new TokenVault(cipher), cipher);
    process.stdout.write(`re-encrypted ${rewritten} stored token value(s) under key ${cipher.currentKeyId}\n`);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  // The reason only: a stack or cause could carry configuration values, drizzle's message the statement's parameters.
  process.stderr.write(`key rotation failed: ${describeDatabaseError(error)}\n`);
  process.exitCode = 1;
});
