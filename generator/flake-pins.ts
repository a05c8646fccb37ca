// The root flake.nix takes nixpkgs and nixpkgs-contrail as inputs, which must be the pins of
// packages/pins.yaml, and so must a committed flake.lock. A flake's inputs cannot be computed,
// so they are written in flake.nix; this check keeps the two in step.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Diagnostic } from "./diagnostics.ts";
import type { GitHubSource, Pins } from "./model.ts";

/** The flake's inputs and the pins they must be. */
const INPUTS = [
  ["nixpkgs", "nixpkgs"],
  ["nixpkgs-contrail", "contrail"],
] as const;

const readText = (path: string): string | undefined => {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
};

const urlOf = (pin: GitHubSource) => `github:${pin.owner}/${pin.repo}/${pin.rev}`;

/** Line and column (1-based) of an offset. */
function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}

function problem(
  file: string,
  text: string,
  offset: number,
  length: number,
  code: string,
  field: string,
  message: string,
  hint: string,
): Diagnostic {
  const { line, column } = offset < 0 ? { line: 0, column: 0 } : position(text, offset);
  return { severity: "error", code, file, line, column, length, field, message, hint };
}

/** The problems of flake.nix and flake.lock against the pins; none when there is no flake. */
export function checkFlakePins(
  root: string,
  pins: Pins | undefined,
): {
  diagnostics: Diagnostic[];
  sources: Map<string, string>;
} {
  const diagnostics: Diagnostic[] = [];
  const sources = new Map<string, string>();
  const flake = readText(join(root, "flake.nix"));
  if (pins === undefined || flake === undefined) return { diagnostics, sources };
  sources.set("flake.nix", flake);
  for (const [input, pinName] of INPUTS) {
    const pin = pins[pinName];
    const wanted = urlOf(pin);
    const match = new RegExp(`\\b${input}\\s*=\\s*\\{[^}]*?\\burl\\s*=\\s*"([^"]*)"`, "s").exec(
      flake,
    );
    if (match === null) {
      diagnostics.push(
        problem(
          "flake.nix",
          flake,
          -1,
          0,
          "flake/pin-mismatch",
          `inputs.${input}`,
          `flake.nix has no input ${input} with a url`,
          `add inputs.${input} = { url = "${wanted}"; flake = false; };`,
        ),
      );
    } else if (match[1] !== wanted) {
      const at = match.index + match[0].length - match[1]!.length - 1;
      diagnostics.push(
        problem(
          "flake.nix",
          flake,
          at + 1,
          match[1]!.length,
          "flake/pin-mismatch",
          `inputs.${input}.url`,
          `the input ${input} is ${match[1]}, but ${pins.source} pins ${wanted}`,
          `set its url to "${wanted}"`,
        ),
      );
    }
  }
  const lock = readText(join(root, "flake.lock"));
  if (lock !== undefined) {
    sources.set("flake.lock", lock);
    let nodes: Record<string, { locked?: Record<string, unknown> }> = {};
    try {
      nodes = (JSON.parse(lock) as { nodes?: typeof nodes }).nodes ?? {};
    } catch {
      diagnostics.push(
        problem(
          "flake.lock",
          lock,
          -1,
          0,
          "flake/lock-mismatch",
          "",
          "flake.lock is not JSON",
          "run `nix flake lock` again",
        ),
      );
      return { diagnostics, sources };
    }
    for (const [input, pinName] of INPUTS) {
      const pin = pins[pinName];
      const locked = Object.hasOwn(nodes, input) ? nodes[input]!.locked : undefined;
      const same =
        locked !== undefined &&
        locked.owner === pin.owner &&
        locked.repo === pin.repo &&
        locked.rev === pin.rev;
      if (same) continue;
      const rev = typeof locked?.rev === "string" ? locked.rev : undefined;
      const at = rev === undefined ? -1 : lock.indexOf(`"${rev}"`) + 1;
      diagnostics.push(
        problem(
          "flake.lock",
          lock,
          at,
          rev?.length ?? 0,
          "flake/lock-mismatch",
          `nodes.${input}.locked`,
          `flake.lock locks ${input} at ${locked === undefined ? "nothing" : `${String(locked.owner)}/${String(locked.repo)}/${rev ?? "?"}`}, but ${pins.source} pins ${pin.owner}/${pin.repo}/${pin.rev}`,
          `run \`nix flake lock --override-input ${input} ${urlOf(pin)}\`, or remove flake.lock`,
        ),
      );
    }
  }
  return { diagnostics, sources };
}
