"use client";

import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  Legend,
  Pie,
  PieChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";

const COLORS = ["#0f172a", "#2563eb", "#16a34a", "#d97706", "#dc2626", "#7c3aed"];

export function AlertsPerDayChart({ data }: { data: { day: string; raised: number; closed: number }[] }) {
  return (
    <ResponsiveContainer width="100%" height={240}>
      <BarChart data={data}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="day" tick={{ fontSize: 11 }} />
        <YAxis allowDecimals={false} tick={{ fontSize: 11 }} />
        <Tooltip />
        <Legend />
        <Bar dataKey="raised" name="raised" fill="#2563eb" isAnimationActive={false} />
        <Bar dataKey="closed" name="closed" fill="#16a34a" isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}

/** `label` is the verdict in words ("True positive"): the legend and tooltip show it. */
export function VerdictChart({ data }: { data: { verdict: string; label: string; count: number }[] }) {
  if (data.length === 0) return <p className="text-sm text-slate-600">No closed alerts yet.</p>;
  return (
    <ResponsiveContainer width="100%" height={240}>
      <PieChart>
        <Pie data={data} dataKey="count" nameKey="label" outerRadius={80} label isAnimationActive={false}>
          {data.map((d, i) => (
            <Cell key={d.verdict} fill={COLORS[i % COLORS.length]} />
          ))}
        </Pie>
        <Tooltip />
        <Legend />
      </PieChart>
    </ResponsiveContainer>
  );
}

export function HorizontalBars({
  data,
  dataKey,
  nameKey,
  label,
}: {
  data: Record<string, string | number | null>[];
  dataKey: string;
  nameKey: string;
  label: string;
}) {
  if (data.length === 0) return <p className="text-sm text-slate-600">No data yet.</p>;
  return (
    <ResponsiveContainer width="100%" height={Math.max(120, data.length * 34 + 40)}>
      <BarChart data={data} layout="vertical" margin={{ left: 40 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis type="number" tick={{ fontSize: 11 }} />
        <YAxis type="category" dataKey={nameKey} width={180} tick={{ fontSize: 11 }} />
        <Tooltip />
        <Bar dataKey={dataKey} name={label} fill="#0f172a" isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}
