// Whether dist/nixgen.mjs, the bundle `npm run build` makes of the generator, is newer than every
// source it is made from (generator/, templates/, package.json).
import { readdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
export const BUNDLE = here("../dist/nixgen.mjs");
const SOURCES = ["../generator", "../templates"].map(here);

const mtime = (path) => statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? -1;

export function bundleIsFresh() {
  const built = mtime(BUNDLE);
  if (built < 0 || built < mtime(here("../package.json"))) return false;
  return SOURCES.every((dir) =>
    readdirSync(dir, { recursive: true })
      .filter((file) => file.endsWith(".ts"))
      .every((file) => mtime(`${dir}/${file}`) <= built),
  );
}
