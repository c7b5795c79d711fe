import { ATOMIC_COMMANDLINE_PACK } from "./atomic-commandline";
import { BOTCONSUMER_PACK } from "./botconsumer-relative-path";
import { BVT_PACK } from "./bvt-builtin-consumer";
import type { TrainingPack } from "./types";
import { WMIGHOST_PACK } from "./wmighost-modified";

/** The packs a trainer can install; each is read from the shared datasets folder at install time. */
export const SHIPPED_PACKS: readonly TrainingPack[] = [
  ATOMIC_COMMANDLINE_PACK,
  WMIGHOST_PACK,
  BOTCONSUMER_PACK,
  BVT_PACK,
];

export { sourceNoteOf, type TrainingPack } from "./types";
