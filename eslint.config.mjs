import js from "@eslint/js";
import nextPlugin from "@next/eslint-plugin-next";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

// Domain engines stay pure: no Next, no Prisma, no database module, no server-only (STYLE.md).
const PURE_FOLDERS = [
  "lib/eql/**",
  "lib/detection/**",
  "lib/exceptions/**",
  "lib/evtx/**",
  "lib/ingest/**",
  "lib/ecs/**",
  "lib/rule/**",
  "lib/triage/**",
  "lib/winevent/**",
  "lib/markdown/**",
  "lib/hunt/**",
  "lib/training/**",
  "lib/sources/**",
  "lib/retention/**",
  "lib/webhooks/**",
];
const IMPURE_IMPORTS = {
  patterns: [
    { group: ["next", "next/*"], message: "domain engines must not import Next.js" },
    {
      group: ["@prisma/*", "@/lib/generated/*", "**/generated/prisma/*"],
      message: "domain engines must not import Prisma",
    },
    {
      group: ["@/lib/db/*", "@/lib/data/*", "@/lib/services/*", "pg"],
      message: "domain engines must not touch the database",
    },
    { group: ["server-only"], message: "domain engines are plain TypeScript" },
  ],
};

// Layers point down only: app → components → lib/actions → lib/services → lib/data → pure engines
// (README "Architecture"). Tests may reach up to set up their data; the code under test may not.
const upward = (layer, folders) => ({
  group: folders.flatMap((f) => [`@/${f}`, `@/${f}/*`]),
  message:
    `${layer} must not import a layer above it ` +
    "(imports point down: app → components → lib/actions → lib/services → lib/data)",
});
const LAYERS = [
  { files: ["lib/data/**"], above: ["lib/services", "lib/actions", "components", "app"], layer: "lib/data" },
  { files: ["lib/services/**"], above: ["lib/actions", "components", "app"], layer: "lib/services" },
  { files: ["lib/actions/**"], above: ["components", "app"], layer: "lib/actions" },
  { files: ["components/**"], above: ["app"], layer: "components" },
];

export default tseslint.config(
  {
    ignores: [
      "node_modules/**",
      ".next/**",
      ".next-*/**",
      "lib/generated/**",
      "bench/tmp/**",
      ".build/**",
      "test-results/**",
      "playwright-report/**",
      ".data/**",
      "next-env.d.ts",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  reactHooks.configs.flat.recommended,
  nextPlugin.configs["core-web-vitals"],
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-control-regex": "off",
      // no line over 120 characters (prettier's printWidth); a long literal (a message, a test name, a URL) is
      // one unbreakable token, so only code and comments are held to it
      "max-len": [
        "error",
        {
          code: 120,
          ignoreStrings: true,
          ignoreTemplateLiterals: true,
          ignoreRegExpLiterals: true,
          ignoreUrls: true,
        },
      ],
    },
  },
  // differential tests (*.int.test.ts) may talk to Postgres; the engines themselves may not
  { files: PURE_FOLDERS, ignores: ["**/*.int.test.ts"], rules: { "no-restricted-imports": ["error", IMPURE_IMPORTS] } },
  // one place reads the environment (lib/env.ts, documented in the README); tests, CLIs, benchmarks
  // and tool configs set variables for the code and processes they start
  {
    files: ["**/*.{ts,tsx,js,mjs}"],
    ignores: [
      "lib/env.ts",
      "**/*.test.ts",
      "scripts/**",
      "bench/**",
      "e2e/**",
      "*.config.{ts,mjs}",
      "lib/generated/**",
    ],
    rules: {
      "no-restricted-properties": [
        "error",
        {
          object: "process",
          property: "env",
          message: "read environment variables with getEnv() from lib/env.ts (one schema, in the README)",
        },
      ],
    },
  },
  ...LAYERS.map(({ files, above, layer }) => ({
    files,
    ignores: ["**/*.test.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [upward(layer, above)] }] },
  })),
);
