// nixgen: the command line over the public API (bin/nixgen.mjs runs it). Each command is a module
// under generator/cli/; this file declares them, their options and help, and turns every error a
// user can cause into one line and an exit code: 0 success, 1 invalid descriptors or a stale
// tree, 2 a usage error or an environment that stops the run.

import { readFileSync } from "node:fs";
import { Command, CommanderError, Option } from "commander";
import { EXIT } from "./cli/exit.ts";
import { runGenerate } from "./cli/generate.ts";
import { colorsFor, err } from "./cli/output.ts";
import { EnvironmentError } from "./cli/root.ts";

const PACKAGE = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  version: string;
};

const rootOption = () =>
  new Option(
    "--root <dir>",
    "the repository (the folder holding packages/); default: the nearest one at or above the current folder",
  );
const formatOption = () =>
  new Option("--format <format>", "text, or json on stdout")
    .choices(["text", "json"])
    .default("text");

/** Examples shown after a command's help. */
const examples = (...lines: string[]): string =>
  `\nExamples:\n${lines.map((l) => `  ${l}`).join("\n")}\n`;

function program(): Command {
  const nixgen = new Command("nixgen")
    .description("Compile the YAML descriptors under packages/ into the Nix tree under generated/.")
    .version(PACKAGE.version, "-V, --version", "print the version")
    .helpOption("-h, --help", "show help")
    .addOption(rootOption())
    .showHelpAfterError("usage: nixgen <command> [options]\n(nixgen --help lists the commands)")
    .exitOverride();

  nixgen
    .command("generate")
    .description("validate packages/ and write generated/ (only the files that change)")
    .addOption(rootOption())
    .option("-v, --verbose", "name each file written or removed")
    .addOption(formatOption())
    .addHelpText(
      "after",
      examples("nixgen generate", "nixgen generate --verbose", "nixgen generate --format json"),
    )
    .action(async (options: { root?: string; verbose?: boolean; format: "text" | "json" }) => {
      process.exitCode = await runGenerate("generate", withRoot(nixgen, options));
    });

  nixgen
    .command("check")
    .description("validate packages/ and fail if generated/ is not what generate would write")
    .addOption(rootOption())
    .option("-v, --verbose", "show every stale file's whole diff")
    .addOption(formatOption())
    .addHelpText("after", examples("nixgen check", "nixgen check --format json"))
    .action(async (options: { root?: string; verbose?: boolean; format: "text" | "json" }) => {
      process.exitCode = await runGenerate("check", withRoot(nixgen, options));
    });

  for (const command of nixgen.commands) {
    const name = `nixgen ${command.name()}`;
    command.showHelpAfterError(`usage: ${name} ${command.usage()}\n(${name} --help for more)`);
  }
  return nixgen;
}

/** A command's --root, or the one given before the command name. */
function withRoot<T extends { root?: string }>(nixgen: Command, options: T): T {
  const root = options.root ?? (nixgen.opts() as { root?: string }).root;
  return root === undefined ? options : { ...options, root };
}

async function main(argv: readonly string[]): Promise<void> {
  const nixgen = program();
  if (argv.length === 0) {
    err(nixgen.helpInformation().trimEnd());
    process.exitCode = EXIT.usage;
    return;
  }
  try {
    await nixgen.parseAsync([...argv], { from: "user" });
  } catch (error) {
    process.exitCode = failure(error);
  }
}

/** The exit code of an error, after saying it in one line. */
function failure(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander has printed the message (and the usage hint) already; help and version are not errors.
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof EnvironmentError) {
    err(`${colorsFor(process.stderr).red("error")}: ${error.message}`);
    return EXIT.environment;
  }
  // Not something a user can cause: say it is the generator's fault, with the stack.
  err(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return EXIT.failed;
}

await main(process.argv.slice(2));
