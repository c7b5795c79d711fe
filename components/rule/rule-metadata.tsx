import type { RuleSummary } from "@/lib/data/rule-runs";

const SEVERITY: Record<RuleSummary["severity"], string> = {
  low: "bg-emerald-100 text-emerald-800",
  medium: "bg-amber-100 text-amber-800",
  high: "bg-orange-100 text-orange-800",
  critical: "bg-red-100 text-red-800",
};

export function SeverityBadge({ severity }: { severity: RuleSummary["severity"] }) {
  return <span className={`rounded px-2 py-0.5 text-xs font-medium capitalize ${SEVERITY[severity]}`}>{severity}</span>;
}

function Item({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-[12rem_1fr] gap-3 border-t border-slate-100 px-4 py-2 text-sm first:border-t-0">
      <dt className="text-slate-600">{label}</dt>
      <dd className="min-w-0 text-slate-900">{children}</dd>
    </div>
  );
}

const ExternalLink = ({ href, children }: { href: string; children: React.ReactNode }) => (
  <a href={href} target="_blank" rel="noreferrer noopener" className="text-blue-700 hover:underline">
    {children}
  </a>
);

export function RuleMetadata({ rule }: { rule: RuleSummary }) {
  return (
    <dl className="rounded-lg border border-slate-200 bg-white" aria-label="Rule definition">
      <Item label="Severity">
        <SeverityBadge severity={rule.severity} />
      </Item>
      <Item label="Risk score">{rule.riskScore}</Item>
      <Item label="Schedule">
        every {rule.interval}, looks back {rule.from}
        <span className="text-slate-600"> (additional look-back {rule.additionalLookBack})</span>
      </Item>
      <Item label="Max alerts per run">{rule.maxSignals}</Item>
      <Item label="Timestamp override">
        {rule.timestampOverride ? <code className="font-mono">{rule.timestampOverride}</code> : "—"}
      </Item>
      <Item label="Index patterns">
        <ul className="flex flex-wrap gap-1.5">
          {rule.index.map((i) => (
            <li key={i} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs">
              {i}
            </li>
          ))}
        </ul>
      </Item>
      <Item label="Tags">
        <ul className="flex flex-wrap gap-1.5">
          {rule.tags.map((t) => (
            <li key={t} className="rounded-full border border-slate-200 px-2 py-0.5 text-xs">
              {t}
            </li>
          ))}
        </ul>
      </Item>
      <Item label="MITRE ATT&CK">
        <ul className="space-y-1" data-testid="rule-mitre">
          {rule.threat.map((t) => (
            <li key={t.tactic.id}>
              <span className="text-slate-600">Tactic </span>
              <ExternalLink href={t.tactic.reference}>
                {t.tactic.name} ({t.tactic.id})
              </ExternalLink>
              {t.technique?.map((tech) => (
                <ul key={tech.id} className="ml-4">
                  <li>
                    <span className="text-slate-600">Technique </span>
                    <ExternalLink href={tech.reference}>
                      {tech.name} ({tech.id})
                    </ExternalLink>
                    {tech.subtechnique?.map((sub) => (
                      <ul key={sub.id} className="ml-4">
                        <li>
                          <span className="text-slate-600">Sub-technique </span>
                          <ExternalLink href={sub.reference}>
                            {sub.name} ({sub.id})
                          </ExternalLink>
                        </li>
                      </ul>
                    ))}
                  </li>
                </ul>
              ))}
            </li>
          ))}
        </ul>
      </Item>
      <Item label="References">
        {rule.references.length === 0 ? (
          <span className="text-slate-600">none</span>
        ) : (
          <ul>
            {rule.references.map((r) => (
              <li key={r}>
                <ExternalLink href={r}>{r}</ExternalLink>
              </li>
            ))}
          </ul>
        )}
      </Item>
      <Item label="Version">{rule.version}</Item>
      <Item label="Author">{rule.author.join(", ")}</Item>
      <Item label="License">{rule.license}</Item>
      <Item label="Rule ID">
        <code className="font-mono text-xs">{rule.ruleId}</code>
      </Item>
    </dl>
  );
}
