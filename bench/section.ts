/** One part of a benchmark's report: its numbers (JSON) and its prose (Markdown). */
export interface BenchSection {
  name: string;
  metrics: Record<string, number | string | boolean>;
  markdown: string;
}
