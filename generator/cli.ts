// nixgen: the command line over the public API (bin/nixgen.mjs runs it). Each command is a module
// under generator/cli/, loaded when it runs (help and usage errors answer without loading the
// generator); this file declares them, their options and help, and turns every error a user can
// cause into one line and an exit code: 0 success, 1 invalid descriptors or a stale tree, 2 a
// usage error or an environment that stops the run.

import { readFileSync } from "node:fs";
import { Command, CommanderError, Option } from "commander";
import { EnvironmentError, EXIT } from "./cli/exit.ts";
import type { GraphFlags } from "./cli/graph.ts";
import type { ReportFormat } from "./cli/upgrade-report.ts";
import { KINDS, NEW_BUILDS, type NewBuild } from "./kinds.ts";
import { colorsFor, err } from "./cli/output.ts";

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
      const { runGenerate } = await import("./cli/generate.ts");
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
      const { runGenerate } = await import("./cli/generate.ts");
      process.exitCode = await runGenerate("check", withRoot(nixgen, options));
    });

  nixgen
    .command("list")
    .description("list the attributes of the set: kind, name and descriptor (no Nix needed)")
    .argument("[prefix]", "only the attributes at or below this path, for example dockerImages")
    .addOption(rootOption())
    .option("--json", "print a JSON array")
    .addHelpText("after", examples("nixgen list", "nixgen list dockerImages", "nixgen list --json"))
    .action(async (prefix: string | undefined, options: { root?: string; json?: boolean }) => {
      const { runList } = await import("./cli/list.ts");
      process.exitCode = await runList(prefix, withRoot(nixgen, options));
    });

  nixgen
    .command("new")
    .description("write a new descriptor where its kind lives, with placeholders to fill in")
    .argument("<kind>", `one of ${KINDS.join(", ")}`)
    .argument("<attr>", "its attribute path, for example dockerImages.myService")
    .addOption(rootOption())
    .addOption(
      new Option("--build <build>", "the build of a new application")
        .choices([...NEW_BUILDS])
        .default("go"),
    )
    .addHelpText(
      "after",
      examples(
        "nixgen new dockerImage dockerImages.myService",
        "nixgen new application myProgram",
        "nixgen new application myTool --build stdenv",
      ),
    )
    .action(async (kind: string, attr: string, options: { root?: string; build: NewBuild }) => {
      const { runNew } = await import("./cli/new.ts");
      process.exitCode = runNew(kind, attr, withRoot(nixgen, options));
    });

  nixgen
    .command("graph")
    .description("the packages and the packages they refer to, as DOT, Mermaid or a list")
    .addOption(rootOption())
    .addOption(
      new Option("--format <format>", "dot, mermaid or list")
        .choices(["dot", "mermaid", "list"])
        .default("dot"),
    )
    .option("--deps <attr>", "only <attr> and what it depends on")
    .option("--rdeps <attr>", "only <attr> and what depends on it: what is rebuilt when it changes")
    .addHelpText(
      "after",
      examples(
        "nixgen graph | dot -Tsvg > packages.svg",
        "nixgen graph --rdeps locksmith --format list",
        "nixgen graph --deps dockerImages.locksmithWorker --format mermaid",
      ),
    )
    .action(async (options: GraphFlags) => {
      const { runGraph } = await import("./cli/graph.ts");
      process.exitCode = await runGraph(withRoot(nixgen, options));
    });

  nixgen
    .command("upgrade-report")
    .description(
      "what stops under a current nixpkgs and why (nixpkgs/facts.json); check stays about the pin",
    )
    .addOption(rootOption())
    .addOption(
      new Option("--format <format>", "text, json, or markdown (the README table)")
        .choices(["text", "json", "markdown"])
        .default("text"),
    )
    .addHelpText("after", examples("nixgen upgrade-report", "nixgen upgrade-report --format json"))
    .action(async (options: { root?: string; format: ReportFormat }) => {
      const { runUpgradeReport } = await import("./cli/upgrade-report.ts");
      process.exitCode = await runUpgradeReport(withRoot(nixgen, options));
    });

  nixgen
    .command("show")
    .description("show an attribute's descriptor, its resolved form and its generated Nix file")
    .argument("<attr>", "an attribute path, for example dockerImages.locksmithWorker")
    .addOption(rootOption())
    .addHelpText(
      "after",
      examples("nixgen show locksmith", "nixgen show dockerImages.locksmithWorker"),
    )
    .action(async (attr: string, options: { root?: string }) => {
      const { runShow } = await import("./cli/show.ts");
      process.exitCode = await runShow(attr, withRoot(nixgen, options));
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

/** Output piped into a command that stops reading (`| head`): stop quietly, as Unix tools do. */
function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    process.exit(process.exitCode ?? EXIT.ok);
  });
}

async function main(argv: readonly string[]): Promise<void> {
  quietOnClosedPipe(process.stdout);
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
