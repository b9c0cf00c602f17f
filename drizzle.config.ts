// drizzle-kit configuration for the embedded SQLite database (migrations in drizzle/).
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: './src/db/schema.sqlite.ts',
  out: './drizzle',
  dbCredentials: { url: 'file:./data/gateway.db' },
});
