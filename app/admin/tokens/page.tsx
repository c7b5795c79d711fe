import { CreateTokenForm, RevokeTokenButton } from "@/components/admin/token-admin";
import { requirePageUser } from "@/lib/auth/session";
import { listApiTokens } from "@/lib/data/api-tokens";
import { getUserNames } from "@/lib/data/users";
import { DataTable } from "@/components/ui/data-table";
import { Time } from "@/components/ui/time";

export const dynamic = "force-dynamic";

export default async function AdminTokensPage() {
  await requirePageUser("tokens:manage");
  const tokens = await listApiTokens();
  const names = await getUserNames(tokens.map((t) => t.createdBy));
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">API tokens</h1>
      <p className="text-sm text-slate-600">
        Machines send a token as <code>Authorization: Bearer …</code>. Tokens may ingest and read; they never triage or
        administer.
      </p>
      <CreateTokenForm />
      <DataTable
        rows={tokens}
        empty="No tokens yet."
        columns={[
          { header: "Name", cell: (t) => t.name },
          { header: "Created by", cell: (t) => (t.createdBy ? (names.get(t.createdBy) ?? t.createdBy) : "—") },
          { header: "Created", cell: (t) => <Time value={t.createdAt} /> },
          { header: "Last used", cell: (t) => <Time value={t.lastUsedAt} relative /> },
          {
            header: "State",
            cell: (t) =>
              t.revokedAt ? (
                <span className="text-red-700">
                  revoked <Time value={t.revokedAt} />
                </span>
              ) : (
                "active"
              ),
          },
          { header: "", cell: (t) => !t.revokedAt && <RevokeTokenButton id={t.id} name={t.name} /> },
        ]}
      />
    </div>
  );
}
