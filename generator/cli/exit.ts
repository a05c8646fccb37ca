// The exit codes of every command: 0 success, 1 invalid descriptors or a stale tree, 2 a usage
// error or an environment that stops the run.

import type { Diagnostic } from "../diagnostics.ts";

export const EXIT = { ok: 0, failed: 1, environment: 2, usage: 2 } as const;

/** A problem of the command's environment (no project found): exit code 2. */
export class EnvironmentError extends Error {
  override readonly name = "EnvironmentError";
}

/** Errors about the machine rather than the descriptors: permissions, a broken Nix, the tree. */
const isEnvironmentError = (d: Diagnostic): boolean =>
  d.code.startsWith("generated/") ||
  d.code === "nixfile/nix-unusable" ||
  d.code === "path/unreadable";

/** The exit code of a run that resolved: its errors decide, then whether it is up to date. */
export function exitFor(result: {
  readonly ok: boolean;
  readonly diagnostics: readonly Diagnostic[];
}): number {
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) return errors.every(isEnvironmentError) ? EXIT.environment : EXIT.failed;
  return result.ok ? EXIT.ok : EXIT.failed;
}
