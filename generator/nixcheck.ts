// Hand-written Nix files under packages/ are checked with `nix-instantiate --parse` before they are
// wired in, so a syntax error is reported with its position instead of at evaluation time.

import { execFile } from "node:child_process";
import type { Diagnostic } from "./diagnostics.ts";

/** One diagnostic per file Nix cannot parse; a warning when nix-instantiate is not installed. */
export async function checkNixSyntax(
  root: string,
  files: readonly string[],
): Promise<Diagnostic[]> {
  if (files.length === 0) return [];
  // One nix-instantiate for all files; only when it fails is each file parsed on its own, to
  // report every broken file rather than the first.
  const all = await parseWithNix(root, files);
  if (all === "parsed") return [];
  if (all.missing) return files.map(unchecked);
  const results = await Promise.all(files.map((file) => parseWithNix(root, [file])));
  return results.flatMap((r, i) =>
    r === "parsed" ? [] : [r.missing ? unchecked(files[i]!) : syntaxError(files[i]!, r.stderr)],
  );
}

type ParseResult = "parsed" | { missing: boolean; stderr: string };

function parseWithNix(root: string, files: readonly string[]): Promise<ParseResult> {
  return new Promise((done) => {
    execFile("nix-instantiate", ["--parse", ...files], { cwd: root }, (error, _stdout, stderr) => {
      if (error === null) return done("parsed");
      done({ missing: (error as NodeJS.ErrnoException).code === "ENOENT", stderr });
    });
  });
}

function unchecked(file: string): Diagnostic {
  return {
    severity: "warning",
    code: "nixfile/unchecked",
    file,
    line: 0,
    column: 0,
    length: 0,
    field: "",
    message: "nix-instantiate is not installed, so this file's syntax was not checked",
  };
}

/** Nix reports `error: <what>, at <file>:<line>:<col>` (older) or `at <file>:<line>:<col>:` (newer). */
function syntaxError(file: string, stderr: string): Diagnostic {
  const text = stderr.replace(/\x1b\[[0-9;]*m/g, "");
  const at = /at (?:«[^»]*»|[^\s:]*):(\d+):(\d+)/.exec(text);
  const message = text
    .split("\n")
    .map((l) => l.trim())
    .find((l) => l.startsWith("error:"))
    ?.replace(/^error:\s*/, "")
    .replace(/,? at \S+:\d+:\d+:?$/, "");
  return {
    severity: "error",
    code: "nixfile/syntax",
    file,
    line: at === null ? 0 : Number(at[1]),
    column: at === null ? 0 : Number(at[2]),
    length: 1,
    field: "",
    message: `nix-instantiate --parse rejects this file: ${message ?? text.trim()}`,
  };
}
