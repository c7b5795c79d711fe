import { cutAround } from "./cut";
import type { TrainingPack } from "./types";

export const ATOMIC_COMMANDLINE_PACK: TrainingPack = {
  packId: "atomic-commandline-consumer",
  title: "Atomic Red Team: CommandLineEventConsumer persistence",
  description:
    "A lab run of Atomic Red Team's WMI persistence test (T1546.003) on MSEDGEWIN10: a filter, a CommandLineEventConsumer and their binding are created, then removed. Work through the guide and decide.",
  source: {
    dataset: "evtx-attack-samples",
    file: "evtx-attack-samples/derived-xml/PanacheSysmon_vs_AtomicRedTeam01.evtx.xml",
    licence: "GPL-3.0",
    upstream: "sbousseaden/EVTX-ATTACK-SAMPLES @ 4ceed2f4706d, rendered by evtxexport -f xml",
  },
  expectedVerdict: "true_positive",
  questions: [
    {
      id: "consumer-type",
      stepId: "investigation.sysmon-21-fields",
      prompt: "Which consumer type was used?",
      choices: [
        "CommandLineEventConsumer",
        "ActiveScriptEventConsumer",
        "NTEventLogEventConsumer",
        "LogFileEventConsumer",
      ],
      answer: "CommandLineEventConsumer",
      explanation: "The binding's Consumer path names the class: ROOT\\subscription:CommandLineEventConsumer.Name=…",
      hints: [{ text: "Read the class name in winlog.event_data.Consumer, before `.Name=`.", cost: 3 }],
      points: 10,
    },
    {
      id: "consumer-name",
      stepId: "investigation.sysmon-21-fields",
      prompt: "What is the consumer's name?",
      answer: "AtomicRedTeam-WMIPersistence-Example",
      explanation: "The Name key in the binding's Consumer path (and in the Sysmon 20 event).",
      hints: [{ text: "It is the value after `Name=` in the Consumer field, without the quotes.", cost: 3 }],
      points: 10,
    },
    {
      id: "command",
      stepId: "investigation.consumer-command",
      prompt: "What command does the consumer run?",
      answer: "C:\\Windows\\System32\\notepad.exe",
      accept: ["notepad.exe", "notepad", "C:\\\\Windows\\\\System32\\\\notepad.exe"],
      explanation:
        "Sysmon 20 logs the consumer's Destination (Elastic puts it in process.executable): notepad.exe — Atomic's harmless stand-in for a payload.",
      hints: [
        { text: "Look for the Sysmon 20 (WmiConsumerEvent) with the same name: its Destination.", cost: 3 },
        { text: "It is a Windows accessory in System32.", cost: 5 },
      ],
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
      answer: "none",
      explanation:
        "No allowlisted tool, no installer, no maintenance window, no documented script: none of the five benign explanations fits.",
      hints: [{ text: "Check each FP item's data check: do any of them pass?", cost: 2 }],
      points: 10,
    },
    {
      id: "first-response",
      stepId: "response.remove-subscription",
      prompt: "Which WMI objects must be removed (besides the consumer)?",
      choices: [
        "the filter and the binding",
        "only the binding",
        "nothing, the consumer is enough",
        "the WMI repository",
      ],
      answer: "the filter and the binding",
      explanation:
        "Remove the binding first, then the consumer and the filter: the generated remediation script does exactly this.",
      hints: [],
      points: 5,
    },
  ],
  prepare: (docs) => cutAround(docs, "21", 10),
};
