import Link from "next/link";
import { notFound } from "next/navigation";
import { DeleteSourceButton } from "@/components/sources/source-actions";
import { SourceForm } from "@/components/sources/source-form";
import { SourceTable } from "@/components/sources/source-table";
import { requirePageUser } from "@/lib/auth/session";
import { getSource } from "@/lib/data/sources";
import { CURRENT_RULE } from "@/lib/rule/rules";

export const dynamic = "force-dynamic";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Admins only (tokens:manage): the page edits cluster credentials.
export default async function SourcePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requirePageUser("tokens:manage");
  const source = UUID.test(id) ? await getSource(user, id) : null;
  if (!source) notFound();
  const version = source.updatedAt.toISOString();
  return (
    <div className="space-y-4">
      <Link href="/admin/sources" className="text-sm text-blue-700 hover:underline">
        ← Event sources
      </Link>
      <h1 className="text-2xl font-semibold">{source.name}</h1>
      <SourceTable sources={[source]} />
      <SourceForm
        key={version}
        defaultIndexPatterns={CURRENT_RULE.index}
        source={{
          id: source.id,
          version,
          name: source.name,
          url: source.url,
          authType: source.authType === "basic" || source.authType === "none" ? source.authType : "api_key",
          username: source.username,
          secretSet: source.secretSet,
          caCert: source.caCert,
          tlsVerify: source.tlsVerify,
          indexPatterns: source.indexPatterns,
          mode: source.mode === "eql" ? "eql" : "poll",
          enabled: source.enabled,
          pollIntervalSec: source.pollIntervalSec,
        }}
      />
      <DeleteSourceButton id={source.id} name={source.name} version={version} />
    </div>
  );
}
