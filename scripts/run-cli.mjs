// `npm run detect` / `npm run ingest`: the CLI as compiled JavaScript, not TypeScript compiled at
// every start. Built with esbuild into .build/cli/ the first time, and again whenever a file under
// lib/ or scripts/ is newer than the build (a few milliseconds to check, ~1 s to build).
// Dependencies stay in node_modules (not bundled); `server-only` is the empty module, as for tsx's
// react-server condition.
import { existsSync, readdirSync, renameSync, statSync } from "node:fs";
import path from "node:path";
import process from "node:process";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const [, , name, ...args] = process.argv;
const CLIS = ["detect", "ingest"];
if (!CLIS.includes(name)) {
  process.stderr.write(`usage: node scripts/run-cli.mjs <${CLIS.join("|")}> [args…]\n`);
  process.exit(64);
}
const entry = path.join(root, "scripts", `${name}.ts`);
const out = path.join(root, ".build", "cli", `${name}.mjs`);

function newestMtime(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function isStale() {
  if (!existsSync(out)) return true;
  const built = statSync(out).mtimeMs;
  return (
    ["lib", "scripts"].some((d) => newestMtime(path.join(root, d)) > built) ||
    ["package.json", "tsconfig.json"].some((f) => statSync(path.join(root, f)).mtimeMs > built)
  );
}

if (isStale()) {
  const { build } = await import("esbuild");
  // built aside and renamed: two CLIs starting at once never run a half-written file
  const tmp = `${out}.${process.pid}.tmp.mjs`;
  await build({
    entryPoints: [entry],
    outfile: tmp,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    alias: { "server-only": path.join(root, "node_modules/server-only/empty.js") },
    tsconfig: path.join(root, "tsconfig.json"),
    // bundled CommonJS helpers may call require()
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    logLevel: "error",
  });
  renameSync(tmp, out);
}

process.argv = [process.argv[0], out, ...args];
await import(pathToFileURL(out).href);
