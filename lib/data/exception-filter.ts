import "server-only";
import { getDb } from "@/lib/db/client";
import type { EventFilterStep } from "@/lib/detection/run";
import { compileConditions, parseStoredConditions } from "@/lib/exceptions/conditions";

/**
 * The filter step a detection run applies: the rule's exceptions active at `at` (enabled, not
 * expired), ANDed conditions per exception, any exception suppresses. Hits are counted for every
 * exception that matches and written once by `recordHits` at the end of the run.
 */
export async function loadExceptionFilter(
  ruleId: string,
  at: Date,
): Promise<{ step: EventFilterStep; count: number; recordHits(): Promise<void> }> {
  const rows = await getDb().prisma.ruleException.findMany({
    where: { ruleId, enabled: true, OR: [{ expiresAt: null }, { expiresAt: { gt: at } }] },
    select: { id: true, conditions: true },
  });
  const compiled = rows.flatMap((r) => {
    try {
      return [{ id: r.id, match: compileConditions(parseStoredConditions(r.conditions)), hits: 0 }];
    } catch {
      return []; // a row that fails validation never suppresses anything
    }
  });
  return {
    count: compiled.length,
    step: {
      name: "rule exceptions",
      suppresses(doc) {
        let hit = false;
        for (const e of compiled) {
          if (e.match(doc)) {
            e.hits++;
            hit = true;
          }
        }
        return hit;
      },
    },
    async recordHits() {
      const { prisma } = getDb();
      for (const e of compiled) {
        if (e.hits === 0) continue;
        // raw on purpose: a hit is not an edit, so `updated_at` (the editors' version check) stays
        await prisma.$executeRaw`UPDATE "rule_exception" SET "hits" = "hits" + ${e.hits}, "last_hit_at" = ${at} WHERE "id" = ${e.id}::uuid`;
      }
    },
  };
}
