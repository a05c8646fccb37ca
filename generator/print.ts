// Stage 6, print: every emitted file as its final text.

import { printNix } from "./nix/index.ts";
import type { OutputTree } from "./emit.ts";

export const LINE_WIDTH = 100;

export function print(tree: OutputTree): Map<string, string> {
  const texts = new Map<string, string>();
  for (const [path, output] of tree) {
    texts.set(path, "nix" in output ? printNix(output.nix, { width: LINE_WIDTH }) : output.text);
  }
  return texts;
}
