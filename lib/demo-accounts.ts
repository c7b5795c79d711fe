/**
 * Demo users seeded by `npm start` — one per role. Demo only: documented as such in the README;
 * change or remove them before real use.
 */
export const DEMO_ACCOUNTS = [
  {
    id: "demo-analyst",
    email: "analyst@demo.local",
    name: "Ana Analyst",
    role: "analyst",
    password: "demo-analyst-pass",
  },
  { id: "demo-lead", email: "lead@demo.local", name: "Lee Lead", role: "lead", password: "demo-lead-pass" },
  {
    id: "demo-trainer",
    email: "trainer@demo.local",
    name: "Tia Trainer",
    role: "trainer",
    password: "demo-trainer-pass",
  },
  { id: "demo-admin", email: "admin@demo.local", name: "Ada Admin", role: "admin", password: "demo-admin-pass" },
] as const;

export function describeDemoAccounts(): string[] {
  return DEMO_ACCOUNTS.map((a) => `${a.role.padEnd(8)} ${a.email} / ${a.password}`);
}
