// npm run keys:rotate: re-encrypts stored tokens under the first TOKEN_ENCRYPTION_KEY.
import { loadConfig } from '../config/load-config';
import { createTokenCipher } from '../crypto/token-cipher';
import { reencryptAllTokens } from '../crypto/rotate-keys';
import { openSqliteDatabase } from '../db/database';
import { TokenVault } from '../tokens/token-vault';
import { SqliteTokensRepository } from '../tokens/tokens.repository';

const config = loadConfig();
const database = openSqliteDatabase(config.databaseUrl);
try {
  const cipher = createTokenCipher(config.secretKey, config.tokenEncryptionKeys);
  const rewritten = reencryptAllTokens(database, new SqliteTokensRepository(database.db), new TokenVault(cipher), cipher);
  process.stdout.write(`re-encrypted ${rewritten} stored token value(s) under key ${cipher.currentKeyId}\n`);
} finally {
  database.close();
}
