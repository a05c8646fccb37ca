// `nixgen list [prefix]`: every attribute of the set with its kind, name and descriptor, from the
// descriptors alone (no Nix). A set with errors is listed as far as it resolves, and exits 1.

import { attributes, type Attribute } from "../attributes.ts";
import { loadPackageSet } from "../index.ts";
import { exitFor } from "./exit.ts";
import { colorsFor, err, out, plural } from "./output.ts";
import { projectRoot } from "./root.ts";

export async function runList(
  prefix: string | undefined,
  flags: { root?: string; json?: boolean },
): Promise<number> {
  const loaded = await loadPackageSet(projectRoot(flags.root), { nixCheck: false });
  const selected = attributes(loaded.packages).filter(
    (a) => prefix === undefined || a.attr === prefix || a.attr.startsWith(`${prefix}.`),
  );
  if (flags.json === true) out(JSON.stringify(selected, null, 2));
  else for (const line of table(selected)) out(line);
  const errors = loaded.diagnostics.filter((d) => d.severity === "error").length;
  if (errors > 0) {
    const c = colorsFor(process.stderr);
    err(
      `${c.yellow("warning")}: the set has ${plural(errors, "error")} (nixgen check shows them); listed as far as it resolves`,
    );
  }
  return exitFor({ ok: true, diagnostics: loaded.diagnostics });
}

/** Aligned columns, the header first. */
function table(rows: readonly Attribute[]): string[] {
  const header: Attribute = { attr: "ATTRIBUTE", kind: "KIND", name: "NAME", source: "DESCRIPTOR" };
  const all = [header, ...rows];
  const width = (key: keyof Attribute) => Math.max(...all.map((r) => r[key].length));
  const [a, k, n] = [width("attr"), width("kind"), width("name")];
  return all.map((r) =>
    `${r.attr.padEnd(a)}  ${r.kind.padEnd(k)}  ${r.name.padEnd(n)}  ${r.source}`.trimEnd(),
  );
}
