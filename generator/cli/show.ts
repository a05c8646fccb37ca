// `nixgen show <attr>`: where an attribute comes from and what it becomes: its descriptor, its
// resolved form, and the Nix file generate writes for it.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { attributes } from "../attributes.ts";
import { didYouMean } from "../diagnostics.ts";
import { emit } from "../emit.ts";
import { loadPackageSet } from "../index.ts";
import { print } from "../print.ts";
import { GENERATED_DIR } from "../write.ts";
import { EXIT } from "./exit.ts";
import { colorsFor, err, out } from "./output.ts";
import { projectRoot } from "./root.ts";

export async function runShow(attr: string, flags: { root?: string }): Promise<number> {
  const root = projectRoot(flags.root);
  const loaded = await loadPackageSet(root, { nixCheck: false });
  const c = colorsFor(process.stdout);
  const entry = attributes(loaded.packages).find((a) => a.attr === attr);
  if (entry === undefined) {
    const suggestion = didYouMean(
      attr,
      attributes(loaded.packages).map((a) => a.attr),
    );
    const hint = suggestion === undefined ? "" : `; did you mean ${suggestion}?`;
    err(`${colorsFor(process.stderr).red("error")}: ${attr} is not an attribute of the set${hint}`);
    return EXIT.usage;
  }
  const pkg = loaded.packages.find((p) => {
    const own = p.attrPath.join(".");
    return attr === own || attr.startsWith(`${own}.`);
  })!;
  // A test's image is shown as itself, from its own generated file.
  const image =
    pkg.kind === "test"
      ? pkg.images.find((i) => `${pkg.attrPath.join(".")}.images.${i.name}` === attr)
      : undefined;
  const resolved = image?.image ?? pkg;
  const file =
    image === undefined
      ? `${pkg.attrPath.join("/")}.nix`
      : `${pkg.attrPath.join("/")}/${image.name}.nix`;
  out(c.bold(`# descriptor: ${entry.source}`));
  out(readFileSync(join(root, entry.source), "utf8").trimEnd());
  out();
  out(c.bold(`# resolved (${entry.kind})`));
  out(JSON.stringify(resolved, null, 2));
  out();
  if (loaded.set === undefined) {
    out(c.bold("# generated"));
    out(
      "(the set has errors; nixgen check shows them, and the generated file once they are fixed)",
    );
    return EXIT.failed;
  }
  const files = print(emit(loaded.set).tree);
  out(c.bold(`# generated: ${GENERATED_DIR}/${file}`));
  out(files.get(file)!.trimEnd());
  return EXIT.ok;
}
