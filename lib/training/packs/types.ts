import type { EcsDocument } from "@/lib/ecs/document";
import type { TrainingQuestionInput, TrainingVerdict } from "../scenario";

/**
 * A shipped training pack: which real file its events come from (under the shared datasets
 * folder), how they are cut to the scenario, and the trainer's key (verdict, questions, hints).
 */
export interface PackSource {
  /** the dataset's folder, as in /work/shared/datasets/README.md */
  dataset: string;
  /** the file, relative to the datasets folder */
  file: string;
  licence: string;
  /** upstream repository and commit, as the datasets README names them */
  upstream: string;
}

export interface TrainingPack {
  packId: string;
  title: string;
  description: string;
  source: PackSource;
  /** said in the source note when the events were changed */
  derivation?: string;
  expectedVerdict: TrainingVerdict;
  questions: TrainingQuestionInput[];
  /** cuts and (for derived packs) rewrites the file's documents; pure */
  prepare?: (docs: EcsDocument[]) => EcsDocument[];
}

export function sourceNoteOf(pack: TrainingPack): string {
  const base = `${pack.source.dataset} — ${pack.source.file} (${pack.source.upstream}; licence ${pack.source.licence})`;
  return pack.derivation ? `${base}. DERIVED: ${pack.derivation}` : base;
}
