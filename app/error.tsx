"use client";

import { PageError } from "@/components/ui/route-states";

/** Any page without its own error.tsx: styled like the others, inside the app's layout and nav. */
export default function RootError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <PageError error={error} reset={reset} what="this page" />;
}
