import type { EcsDocument } from "@/lib/ecs/document";
import { getString } from "@/lib/triage/fields";
import { rewrite, setPath } from "./cut";
import type { TrainingPack } from "./types";

const ATOMIC_NAME = "AtomicRedTeam-WMIPersistence-Example";

/**
 * No recorded event of a benign built-in consumer exists in the datasets (searched for
 * BVTConsumer, SCM Event Log Consumer and NTEventLogEventConsumer in every file, UTF-8 and
 * UTF-16). So this pack takes the three real `Created` Sysmon 19/20/21 events of the Atomic run
 * and changes only the values that name the subscription into those of Windows' built-in
 * BVTConsumer (Windows 7 / 2008 R2: `cscript KernCap.vbs` on a CPU-load filter).
 */
function toBvt(docs: EcsDocument[]): EcsDocument[] {
  const wmi = docs.filter(
    (d) =>
      ["19", "20", "21"].includes(getString(d, "event.code") ?? "") &&
      getString(d, "winlog.event_data.Operation") === "Created",
  );
  return wmi.map((d) =>
    rewrite(d, (copy) => {
      const code = getString(copy, "event.code");
      if (code === "19") {
        setPath(copy, "winlog.event_data.Name", ' "BVTFilter"');
        setPath(
          copy,
          "winlog.event_data.Query",
          ' "SELECT * FROM __InstanceModificationEvent WITHIN 60 WHERE TargetInstance ISA \\"Win32_Processor\\" AND TargetInstance.LoadPercentage > 99"',
        );
      } else if (code === "20") {
        setPath(copy, "winlog.event_data.Name", ' "BVTConsumer"');
        setPath(copy, "process.executable", ' "cscript KernCap.vbs"');
        setPath(copy, "process.name", "cscript");
      } else {
        const consumer = getString(copy, "winlog.event_data.Consumer") ?? "";
        const filter = getString(copy, "winlog.event_data.Filter") ?? "";
        setPath(copy, "winlog.event_data.Consumer", consumer.replace(ATOMIC_NAME, "BVTConsumer"));
        setPath(copy, "winlog.event_data.Filter", filter.replace(ATOMIC_NAME, "BVTFilter"));
      }
    }),
  );
}

export const BVT_PACK: TrainingPack = {
  packId: "bvt-builtin-consumer",
  title: "BVTConsumer: Windows' own CommandLineEventConsumer",
  description:
    "The rule fired on a CommandLineEventConsumer named BVTConsumer running `cscript KernCap.vbs`. Decide whether this is an attack or something Windows ships.",
  source: {
    dataset: "evtx-attack-samples",
    file: "evtx-attack-samples/derived-xml/PanacheSysmon_vs_AtomicRedTeam01.evtx.xml",
    licence: "GPL-3.0",
    upstream: "sbousseaden/EVTX-ATTACK-SAMPLES @ 4ceed2f4706d, rendered by evtxexport -f xml",
  },
  derivation:
    "no recorded benign built-in consumer exists in the datasets; the three real `Created` Sysmon 19/20/21 events of the Atomic Red Team run were kept and only the subscription's names, filter query and consumer destination were changed to Windows' built-in BVTFilter/BVTConsumer (cscript KernCap.vbs). Host, user, times and record ids are the original ones.",
  expectedVerdict: "benign_positive",
  questions: [
    {
      id: "consumer-name",
      stepId: "investigation.sysmon-21-fields",
      prompt: "What is the consumer's name?",
      answer: "BVTConsumer",
      hints: [],
      points: 10,
    },
    {
      id: "command",
      stepId: "investigation.consumer-command",
      prompt: "What command does it run?",
      answer: "cscript KernCap.vbs",
      accept: ["KernCap.vbs"],
      hints: [{ text: "The Sysmon 20 event's Destination.", cost: 3 }],
      points: 10,
    },
    {
      id: "fp-item",
      stepId: "fp.admin-tools",
      prompt: "Which false-positive item applies?",
      choices: [
        "none",
        "fp.admin-tools",
        "fp.software-install",
        "fp.security-management-tools",
        "fp.scheduled-maintenance",
        "fp.in-house-scripts",
      ],
      answer: "fp.admin-tools",
      explanation:
        "BVTConsumer is on the shipped allowlist as Windows' built-in KernCap.vbs consumer (category admin).",
      hints: [{ text: "One FP data check passes: which one, and on what allowlist entry?", cost: 4 }],
      points: 10,
    },
  ],
  prepare: toBvt,
};
