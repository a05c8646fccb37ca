// `nixgen graph`: the packages and their references, as DOT (default), Mermaid or a plain list;
// --deps <attr> keeps what it depends on, --rdeps <attr> what depends on it (what is rebuilt).

import { didYouMean } from "../diagnostics.ts";
import { closure, subgraph, toDot, toMermaid, type Graph } from "../graph.ts";
import { loadPackageSet } from "../index.ts";
import { EXIT } from "./exit.ts";
import { colorsFor, err, out } from "./output.ts";
import { projectRoot } from "./root.ts";

export interface GraphFlags {
  readonly root?: string;
  readonly format: "dot" | "mermaid" | "list";
  readonly deps?: string;
  readonly rdeps?: string;
}

export async function runGraph(flags: GraphFlags): Promise<number> {
  const loaded = await loadPackageSet(projectRoot(flags.root), { nixCheck: false });
  const nodes = new Map(loaded.packages.map((p) => [p.attrPath.join("."), p.kind as string]));
  let graph: Graph = { nodes, edges: loaded.dependencies };
  const start = flags.deps ?? flags.rdeps;
  if (flags.deps !== undefined && flags.rdeps !== undefined) {
    err(`${colorsFor(process.stderr).red("error")}: give --deps or --rdeps, not both`);
    return EXIT.usage;
  }
  if (start !== undefined) {
    if (!nodes.has(start)) {
      const suggestion = didYouMean(start, nodes.keys());
      const hint = suggestion === undefined ? "" : `; did you mean ${suggestion}?`;
      err(`${colorsFor(process.stderr).red("error")}: ${start} is not a package of the set${hint}`);
      return EXIT.usage;
    }
    graph = subgraph(graph, closure(graph, start, flags.deps !== undefined ? "deps" : "rdeps"));
  }
  if (flags.format === "list") for (const node of [...graph.nodes.keys()].sort()) out(node);
  else process.stdout.write(flags.format === "dot" ? toDot(graph) : toMermaid(graph));
  return EXIT.ok;
}
