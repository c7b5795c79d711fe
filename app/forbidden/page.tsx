import Link from "next/link";

export default async function ForbiddenPage({ searchParams }: { searchParams: Promise<{ need?: string }> }) {
  const { need } = await searchParams;
  return (
    <div className="mx-auto mt-12 max-w-md space-y-3 rounded-lg border border-amber-200 bg-amber-50 p-6">
      <h1 className="text-xl font-semibold">Not allowed</h1>
      <p className="text-sm">Your role does not have the permission {need ? <code>{need}</code> : "for this page"}.</p>
      <Link href="/" className="text-sm text-blue-700 underline">
        Back to the overview
      </Link>
    </div>
  );
}
