import path from "node:path";
import { defineConfig } from "prisma/config";

// See scripts/no-schema-engine.sh: `prisma generate` needs no engine; migrate/db push must fail loudly.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.resolve("scripts/no-schema-engine.sh");

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/unused" },
});
