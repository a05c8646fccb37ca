// Resolution of a test: its hand-written Nix file, arguments, and the images it declares.

import type { Test } from "../model.ts";
import { error, type Common } from "./context.ts";
import { toDockerImage } from "./dockerImage.ts";
import { toNixCode } from "./nixCode.ts";
import type { Reader } from "./reader.ts";

export function toTest(r: Reader, common: Common): Test {
  return {
    ...common,
    kind: "test",
    ...toNixCode(r, common),
    images: r.entries("images").map(([name]) => {
      if (r.child("arguments").has(name)) {
        r.ctx.diagnostics.push(
          error(
            r.ctx.v,
            ["images", name],
            "test/duplicate-argument",
            `${name} is both an image and an argument of the test`,
            "rename the image or the argument",
          ),
        );
      }
      const image = toDockerImage(r.child("images").child(name), {
        ...common,
        attrPath: [...common.attrPath, name],
        description: r.child("images").child(name).optStr("description"),
      });
      return { name, image };
    }),
  };
}
