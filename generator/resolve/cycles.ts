// Cycles: packages referring to each other, and the depth-first search other checks share.

import type { Diagnostic } from "../diagnostics.ts";
import type { PackageRef } from "../model.ts";
import type { ValidDescriptor } from "../validate.ts";
import { error, type Context } from "./context.ts";

/** Packages referring to each other in a loop cannot be built. */
export function checkCycles(
  descriptors: readonly ValidDescriptor[],
  refs: ReadonlyMap<string, Context["refs"]>,
  diagnostics: Diagnostic[],
): void {
  const owner = (r: PackageRef) => {
    for (let i = r.ref.length; i > 0; i--) {
      const name = r.ref.slice(0, i).join(".");
      if (refs.has(name)) return name;
    }
    return undefined;
  };
  const edges = (name: string) =>
    (refs.get(name) ?? []).flatMap((r) => {
      const target = owner(r.ref);
      return target === undefined ? [] : [target];
    });
  const cycle = findCycle([...refs.keys()].sort(), edges);
  if (cycle === undefined) return;
  const from = descriptors.find((v) => v.parsed.file.attrPath.join(".") === cycle[0])!;
  const written = refs.get(cycle[0]!)!.find((r) => owner(r.ref) === cycle[1]);
  diagnostics.push(
    error(
      from,
      written?.path ?? [],
      "ref/cycle",
      `packages refer to each other in a cycle: ${cycle.join(" -> ")}`,
      undefined,
      written?.text || undefined,
    ),
  );
}

/** The first cycle found by depth-first search, as a closed path `a -> b -> a`. */
export function findCycle(
  nodes: readonly string[],
  edges: (node: string) => readonly string[],
): string[] | undefined {
  const state = new Map<string, "active" | "done">();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === "done") return undefined;
    if (state.get(node) === "active") return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, "active");
    stack.push(node);
    for (const next of edges(node)) {
      const found = visit(next);
      if (found !== undefined) return found;
    }
    stack.pop();
    state.set(node, "done");
    return undefined;
  };
  for (const node of nodes) {
    const found = visit(node);
    if (found !== undefined) return found;
  }
  return undefined;
}
