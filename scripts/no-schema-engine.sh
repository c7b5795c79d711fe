#!/bin/sh
# Prisma's schema engine cannot be downloaded on this project's machines. Pointing
# PRISMA_SCHEMA_ENGINE_BINARY here makes `prisma migrate`/`db push` fail loudly instead of
# silently doing nothing. Migrations are hand-written SQL applied by `npm run db:migrate`.
echo "wmi-triage: Prisma's schema engine is not available here; write SQL in prisma/migrations and run 'npm run db:migrate'." >&2
exit 1
