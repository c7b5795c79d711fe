/** The case workflow's vocabulary, for server code and client forms alike (no data access here). */
export const CASE_STATUSES = ["open", "in-progress", "closed"] as const;
export const CASE_SEVERITIES = ["low", "medium", "high", "critical"] as const;
/** Kibana's alert close reasons; closing a case closes its alerts with the same one. */
export const CASE_RESOLUTIONS = ["true_positive", "benign_positive", "false_positive", "duplicate", "other"] as const;
export type CaseResolution = (typeof CASE_RESOLUTIONS)[number];
