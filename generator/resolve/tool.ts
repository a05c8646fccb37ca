// Resolution of a tool: a shell script with its files, an Ubuntu VM, or a hand-written Nix file.

import type { Tool } from "../model.ts";
import type { Common } from "./context.ts";
import { toNixCode } from "./nixCode.ts";
import { exactlyOne, type Reader } from "./reader.ts";

export function toTool(r: Reader, common: Common): Tool {
  const which = exactlyOne(r, ["script", "ubuntuVm", "nixFile"]);
  if (which === "nixFile") {
    return { ...common, kind: "tool", tool: { type: "nixFile", ...toNixCode(r, common) } };
  }
  if (which === "ubuntuVm") {
    return {
      ...common,
      kind: "tool",
      tool: { type: "ubuntuVm", debianPackages: r.child("ubuntuVm").refs("debianPackages") },
    };
  }
  const s = r.child("script");
  const files = s.entries("files").map(([path]) => ({
    path,
    text: s.child("files").text(path),
  }));
  return {
    ...common,
    kind: "tool",
    tool: {
      type: "script",
      program: s.str("program"),
      text: s.has("text") ? s.text("text", { selfFiles: files.length > 0 }) : [],
      runtimeInputs: s.refs("runtimeInputs"),
      files,
    },
  };
}
