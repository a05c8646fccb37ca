// nixgen: the command line over the public API. `generate` writes generated/, `check` writes
// nothing and fails when generated/ is stale or a descriptor is invalid.

import { parseArgs } from "node:util";
import { formatDiagnostic, generate, type GenerateResult } from "./index.ts";
import { formatStale } from "./stale.ts";
import { GENERATED_DIR, TreeLockedError } from "./write.ts";

const USAGE = `usage: nixgen <generate|check> [--root DIR]

  generate   validate packages/ and write ${GENERATED_DIR}/
  check      validate packages/ and fail if ${GENERATED_DIR}/ is not what generate would write`;

function report(result: GenerateResult): void {
  for (const d of result.diagnostics) console.error(formatDiagnostic(d, result.sources) + "\n");
  const errors = result.diagnostics.filter((d) => d.severity === "error").length;
  if (errors > 0) console.error(`${errors} error${errors === 1 ? "" : "s"}; nothing was written.`);
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { root: { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  const command = positionals[0];
  if (
    values.help === true ||
    positionals.length !== 1 ||
    !["generate", "check"].includes(command!)
  ) {
    console.error(USAGE);
    return values.help === true ? 0 : 2;
  }
  const root = values.root ?? process.cwd();
  const result = await generate({ root, check: command === "check" });
  report(result);
  if (result.diagnostics.some((d) => d.severity === "error")) return 1;
  for (const warning of result.warnings) console.error(`warning: ${warning}`);
  for (const path of result.unknown) {
    console.error(
      `warning: ${GENERATED_DIR}/${path} was not written by the generator; left in place`,
    );
  }
  if (command === "check") {
    if (result.stale.length > 0) {
      console.error(`${GENERATED_DIR}/ is stale; run \`npm run generate\`:`);
      for (const line of formatStale(result.stale)) console.error(line);
    }
    if (result.docs.stale) {
      console.error(`${result.docs.path} is stale; run \`npm run generate\``);
    }
    if (!result.ok) return 1;
    console.log(`${GENERATED_DIR}/ is up to date (${result.files.size + 1} files).`);
    return 0;
  }
  const w = result.write!;
  console.log(
    `${GENERATED_DIR}/: ${w.written.length} written, ${w.removed.length} removed, ${w.unchanged} unchanged.`,
  );
  if (result.docs.stale) console.log(`${result.docs.path} rewritten from schemas/.`);
  return 0;
}

// exitCode rather than exit(): output still being written to a pipe is not cut off.
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A held lock is an expected situation, not a crash: its message says what to do.
    if (error instanceof TreeLockedError) console.error(`error: ${error.message}`);
    else console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  },
);
