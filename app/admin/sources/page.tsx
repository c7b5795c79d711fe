import { SourceForm } from "@/components/sources/source-form";
import { SourceTable } from "@/components/sources/source-table";
import { requirePageUser } from "@/lib/auth/session";
import { listSources } from "@/lib/data/sources";
import { CURRENT_RULE } from "@/lib/rule/rules";

export const dynamic = "force-dynamic";

// Admins only: sources hold cluster credentials (tokens:manage is the admin-only permission).
export default async function AdminSourcesPage() {
  const user = await requirePageUser("tokens:manage");
  const sources = await listSources(user);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Event sources</h1>
      <p className="text-sm text-slate-600">
        Elasticsearch or OpenSearch clusters polled for the rule&apos;s indices. Shippers can also send here directly:
        point Winlogbeat&apos;s Elasticsearch output at this app with{" "}
        <code className="literal">path: &quot;/api/es&quot;</code> and an API token as <code>api_key</code>.
      </p>
      <SourceTable sources={sources} />
      <h2 className="text-lg font-semibold">Add a source</h2>
      <SourceForm defaultIndexPatterns={CURRENT_RULE.index} />
    </div>
  );
}
