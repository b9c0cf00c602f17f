// drizzle-kit configuration for PostgreSQL (migrations in drizzle/postgres/); `npx drizzle-kit generate --config drizzle.postgres.config.ts`.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.postgres.ts',
  out: './drizzle/postgres',
  // Only `drizzle-kit generate` is used, which needs no connection; migrations are applied by the gateway itself.
  dbCredentials: { url: 'postgres://postgres@127.0.0.1:5432/gateway' },
});
