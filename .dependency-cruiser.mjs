/**
 * The import graph's rules (`npm run lint:imports`, part of npm test's lint stage): no cycles,
 * and layers point down only — app → components → lib/actions → lib/services → lib/data → pure
 * engines. ESLint's no-restricted-imports says the same file by file; this sees the whole graph.
 */
const PURE =
  "^lib/(eql|detection|exceptions|evtx|ingest|ecs|rule|triage|winevent|markdown|hunt|training|sources|retention|webhooks)/";
const TEST = "\\.test\\.ts$";

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    { name: "no-circular", severity: "error", comment: "an import cycle", from: {}, to: { circular: true } },
    {
      name: "data-points-down",
      severity: "error",
      from: { path: "^lib/data/", pathNot: TEST },
      to: { path: "^(lib/services|lib/actions|components|app)/" },
    },
    {
      name: "services-point-down",
      severity: "error",
      from: { path: "^lib/services/", pathNot: TEST },
      to: { path: "^(lib/actions|components|app)/" },
    },
    {
      name: "actions-point-down",
      severity: "error",
      from: { path: "^lib/actions/", pathNot: TEST },
      to: { path: "^(components|app)/" },
    },
    {
      name: "pure-engines-stay-pure",
      severity: "error",
      comment: "domain engines import no framework, Prisma or database code",
      from: { path: PURE, pathNot: "\\.int\\.test\\.ts$" },
      to: {
        path: "^(lib/(db|data|services|actions|auth|http|generated)/|app/|components/|node_modules/(next|@prisma|pg|server-only)/)",
      },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(lib/generated|node_modules|\\.next)" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
  },
};
