// Cycles: packages referring to each other, and the depth-first search other checks share.

import type { Diagnostic } from "../diagnostics.ts";
import type { PackageRef } from "../model.ts";
import type { ValidDescriptor } from "../validate.ts";
import { error, type Context } from "./context.ts";

/** The package of the set a reference lies in (`contrail32Cw.api` lies in `contrail32Cw`). */
function ownerOf(refs: ReadonlyMap<string, unknown>, r: PackageRef): string | undefined {
  for (let i = r.ref.length; i > 0; i--) {
    const name = r.ref.slice(0, i).join(".");
    if (refs.has(name)) return name;
  }
  return undefined;
}

/** Each package's references to packages of the set, by the package that owns them, sorted. */
export function dependencyGraph(
  refs: ReadonlyMap<string, Context["refs"]>,
): Map<string, readonly string[]> {
  const graph = new Map<string, readonly string[]>();
  for (const name of [...refs.keys()].sort()) {
    const targets = refs.get(name)!.flatMap((r) => {
      const target = ownerOf(refs, r.ref);
      return target === undefined ? [] : [target];
    });
    graph.set(name, [...new Set(targets)].sort());
  }
  return graph;
}

/** Packages referring to each other in a loop cannot be built. */
export function checkCycles(
  descriptors: readonly ValidDescriptor[],
  refs: ReadonlyMap<string, Context["refs"]>,
  diagnostics: Diagnostic[],
): void {
  const graph = dependencyGraph(refs);
  const cycle = findCycle([...graph.keys()], (name) => graph.get(name) ?? []);
  if (cycle === undefined) return;
  const from = descriptors.find((v) => v.parsed.file.attrPath.join(".") === cycle[0])!;
  const written = refs.get(cycle[0]!)!.find((r) => ownerOf(refs, r.ref) === cycle[1]);
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
