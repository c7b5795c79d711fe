/** What the rule page, the upload summary, the API and the CLI say about events stored while the rule is disabled. */
export const RULE_DISABLED_NOTE = "rule disabled: events stored, no detection";
