import { CreateTokenForm, RevokeTokenButton } from "@/components/admin/token-admin";
import { requirePageUser } from "@/lib/auth/session";
import { listApiTokens } from "@/lib/data/api-tokens";
import { getUserNames } from "@/lib/data/users";
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
      <table className="w-full rounded-lg border border-slate-200 bg-white text-sm">
        <thead className="bg-slate-100 text-left text-slate-600">
          <tr>
            {["Name", "Created by", "Created", "Last used", "State", ""].map((h) => (
              <th key={h} className="px-3 py-2 font-medium">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {tokens.map((t) => (
            <tr key={t.id} className="border-t border-slate-100">
              <td className="px-3 py-2">{t.name}</td>
              <td className="px-3 py-2">{t.createdBy ? (names.get(t.createdBy) ?? t.createdBy) : "—"}</td>
              <td className="px-3 py-2">
                <Time value={t.createdAt} />
              </td>
              <td className="px-3 py-2">
                <Time value={t.lastUsedAt} relative />
              </td>
              <td className="px-3 py-2">
                {t.revokedAt ? (
                  <span className="text-red-700">
                    revoked <Time value={t.revokedAt} />
                  </span>
                ) : (
                  "active"
                )}
              </td>
              <td className="px-3 py-2">{!t.revokedAt && <RevokeTokenButton id={t.id} name={t.name} />}</td>
            </tr>
          ))}
          {tokens.length === 0 && (
            <tr>
              <td colSpan={6} className="px-3 py-6 text-center text-slate-600">
                No tokens yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
