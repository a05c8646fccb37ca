// The dependency graph of the package set: each package and the packages its `${{ }}`
// references name, as DOT or Mermaid, whole or cut to what one package depends on (--deps) or
// to what depends on it (--rdeps: what is rebuilt when it changes).

export interface Graph {
  /** Every node with its kind, by attribute path. */
  readonly nodes: ReadonlyMap<string, string>;
  /** Each node's dependencies (nodes only). */
  readonly edges: ReadonlyMap<string, readonly string[]>;
}

/** The nodes reachable from `start` following dependencies (`deps`) or dependents (`rdeps`). */
export function closure(graph: Graph, start: string, direction: "deps" | "rdeps"): Set<string> {
  const next = new Map<string, string[]>();
  for (const [from, targets] of graph.edges) {
    for (const to of targets) {
      const [a, b] = direction === "deps" ? [from, to] : [to, from];
      next.set(a, [...(next.get(a) ?? []), b]);
    }
  }
  const seen = new Set([start]);
  const queue = [start];
  while (queue.length > 0) {
    for (const n of next.get(queue.shift()!) ?? []) {
      if (!seen.has(n)) {
        seen.add(n);
        queue.push(n);
      }
    }
  }
  return seen;
}

/** The part of the graph on `keep`. */
export function subgraph(graph: Graph, keep: ReadonlySet<string>): Graph {
  const nodes = new Map([...graph.nodes].filter(([n]) => keep.has(n)));
  const edges = new Map(
    [...graph.edges]
      .filter(([n]) => keep.has(n))
      .map(([n, targets]) => [n, targets.filter((t) => keep.has(t))] as const),
  );
  return { nodes, edges };
}

/** Shapes of the kinds in DOT. */
const SHAPES: Readonly<Record<string, string>> = {
  application: "ellipse",
  dockerImage: "box",
  pulledImage: "box3d",
  debianPackage: "folder",
  tool: "component",
  test: "diamond",
  contrailPackageSet: "tab",
};

const sortedNodes = (graph: Graph) => [...graph.nodes].sort(([a], [b]) => (a < b ? -1 : 1));

export function toDot(graph: Graph): string {
  const lines = ["digraph packages {", "  rankdir=LR;", '  node [fontname="sans-serif"];'];
  for (const [node, kind] of sortedNodes(graph)) {
    const shape = Object.hasOwn(SHAPES, kind) ? SHAPES[kind] : "ellipse";
    lines.push(`  ${JSON.stringify(node)} [shape=${shape}, tooltip=${JSON.stringify(kind)}];`);
  }
  for (const [node] of sortedNodes(graph)) {
    for (const to of graph.edges.get(node) ?? []) {
      lines.push(`  ${JSON.stringify(node)} -> ${JSON.stringify(to)};`);
    }
  }
  return [...lines, "}", ""].join("\n");
}

export function toMermaid(graph: Graph): string {
  const nodes = sortedNodes(graph);
  const id = new Map(nodes.map(([node], i) => [node, `n${i}`]));
  const lines = ["graph LR"];
  for (const [node, kind] of nodes) lines.push(`  ${id.get(node)}["${node}<br/>${kind}"]`);
  for (const [node] of nodes) {
    for (const to of graph.edges.get(node) ?? []) lines.push(`  ${id.get(node)} --> ${id.get(to)}`);
  }
  return [...lines, ""].join("\n");
}
