// Operators on the text of a file (directives, tabs, BOM, line endings, cut lines, inserted text,
// invalid bytes) and on the files themselves (odd names and folders, prototype names, deleted
// files, a fragment parameter renamed everywhere).

import { isMap, isScalar, parseDocument, Scalar, visit } from "yaml";
import { pick, PROTO_NAMES, type Mutable, type Step } from "./plan.ts";

const DIRECTIVES = [
  "%YAML 1.1\n---\n",
  "%YAML 1.2\n---\n",
  "%YAML 2.0\n---\n",
  "%TAG ! tag:example.com,2000:\n---\n",
  "%FOO bar\n---\n",
  "---\n",
  "--- !!map\n",
];

const BAD_BYTES = [
  [0xff],
  [0xc3],
  [0xe2, 0x82],
  [0x00],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
];

/** Folders a renamed file may move to, and names it may take. */
const FOLDERS = [
  "packages",
  "packages/dockerImages",
  "packages/dockerImages/pulled",
  "packages/tools",
  "packages/test",
  "packages/fragments",
  "packages/debianPackages",
  "packages/ci",
  "packages/constructor",
  "packages/__proto__",
  "packages/toString",
  "packages/a b",
  "packages/ünï",
  "packages/.hidden",
  "packages/dockerImages/constructor",
];
const STEMS = [...PROTO_NAMES, "x", "hasOwnProperty", "a-b", "1x", "let", "pins", "lib", ""];
const SUFFIXES = [".yaml", ".yaml", ".yml", ".YAML", ".yaml.yaml", "", ".nix"];

function splitLines(text: string): string[] {
  return text.split("\n");
}

/** Apply one step of the text kind to the text of a descriptor. */
export function applyToText(m: Mutable, step: Step): boolean {
  const paths = m.paths((p) => p.endsWith(".yaml") || p.endsWith(".nix"));
  if (paths.length === 0) return false;
  const path = pick(paths, step.a);
  const text = m.text(path);
  const lines = splitLines(text);
  switch (step.op) {
    case "directive":
      m.setText(path, pick(DIRECTIVES, step.c) + text);
      return true;
    case "tab": {
      const i = step.b % lines.length;
      lines[i] = lines[i]!.replace(/^ +/, "\t");
      m.setText(path, lines.join("\n"));
      return true;
    }
    case "bom":
      m.setText(path, `\uFEFF${text}`);
      return true;
    case "line-endings": {
      const endings = ["\r", "\r\n", "\n\r"];
      m.setText(path, lines.join(pick(endings, step.c)));
      return true;
    }
    case "cut-lines": {
      const i = step.b % lines.length;
      const j = step.c % lines.length;
      const variant = step.c % 3;
      if (variant === 0) lines.splice(i, 1);
      else if (variant === 1) lines.splice(i, 0, lines[i]!);
      else [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      m.setText(path, lines.join("\n"));
      return true;
    }
    case "insert-text": {
      const at = step.b % (text.length + 1);
      m.setText(path, text.slice(0, at) + step.text + text.slice(at));
      return true;
    }
    case "bad-bytes": {
      const bytes = m.bytes(path)!;
      const at = step.b % (bytes.length + 1);
      const bad = pick(BAD_BYTES, step.c);
      m.files.set(path, new Uint8Array([...bytes.slice(0, at), ...bad, ...bytes.slice(at)]));
      return true;
    }
    default:
      return false;
  }
}

export function applyToFiles(m: Mutable, step: Step): boolean {
  const paths = m.paths((p) => p.startsWith("packages/"));
  if (paths.length === 0) return false;
  const path = pick(paths, step.a);
  switch (step.op) {
    case "delete-file":
      m.files.set(path, null);
      return true;
    case "rename-file": {
      const name = pick(STEMS, step.b) + pick(SUFFIXES, step.c);
      const folder =
        step.c % 2 === 0 ? path.slice(0, path.lastIndexOf("/")) : pick(FOLDERS, step.b + step.c);
      const target = `${folder}/${name}`;
      const inUse =
        m.bytes(target) !== null || m.paths((p) => p.startsWith(`${target}/`)).length > 0;
      if (name === "" || target === path || inUse) return false;
      m.files.set(target, m.bytes(path));
      m.files.set(path, null);
      return true;
    }
    case "rename-parameter":
      return renameParameter(m, step);
    default:
      return false;
  }
}

/** Rename a parameter of a fragment everywhere: its declaration, its uses and the arguments. */
function renameParameter(m: Mutable, step: Step): boolean {
  const fragments = m
    .paths((p) => p.startsWith("packages/fragments/") && p.endsWith(".yaml"))
    .filter((p) => /^parameters:/m.test(m.text(p)));
  if (fragments.length === 0) return false;
  const fragmentPath = pick(fragments, step.a);
  const doc = parseDocument(m.text(fragmentPath));
  if (doc.errors.length > 0) return false; // an earlier step broke it: nothing to rename
  const parameters = doc.get("parameters");
  if (!isMap(parameters) || parameters.items.length === 0) return false;
  const pair = pick(parameters.items, step.b);
  if (!isScalar(pair.key)) return false;
  const from = String(pair.key.value);
  const to = pick(PROTO_NAMES, step.c);
  pair.key = new Scalar(to);
  const uses = new RegExp(`\\$\\{\\{\\s*args\\.${from}\\s*\\}\\}`, "g");
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === "string")
        node.value = node.value.replace(uses, `\${{ args.${to} }}`);
    },
  });
  m.setText(fragmentPath, String(doc));
  const name = fragmentPath.slice("packages/".length, -".yaml".length).replaceAll("/", ".");
  for (const path of m.paths((p) => p.endsWith(".yaml") && m.text(p).includes(name))) {
    const user = parseDocument(m.text(path));
    if (user.errors.length > 0) continue;
    visit(user, {
      Map(_key, map) {
        const args = map.get("with");
        if (map.get("fragment") !== name || !isMap(args)) return;
        for (const arg of args.items) {
          if (isScalar(arg.key) && arg.key.value === from) arg.key = new Scalar(to);
        }
      },
    });
    m.setText(path, String(user));
  }
  return true;
}
