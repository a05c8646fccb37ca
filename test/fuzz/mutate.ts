// Mutations of a package set, for the fuzzer: a plan is a short list of steps, each naming an
// operator and a few numbers that pick the file, node and variant it applies to (modulo what
// there is, so any numbers make a valid plan and fast-check can shrink them towards 0).
//
// Operators work on the YAML structure (delete, rename or duplicate keys and items, swap types,
// write weird strings in every style, aliases, merge keys, prototype names), on the text
// (directives, tabs, BOM, line endings, cut lines, invalid bytes) and on the files (odd names and
// folders, prototype names, deleted files, fragment parameters renamed everywhere).

import {
  Alias,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseDocument,
  Scalar,
  visit,
  type Document,
  type Node,
  type Pair,
  type YAMLMap,
  type YAMLSeq,
} from "yaml";

/** Files by path relative to the project root; null: the file is deleted. */
export type Files = ReadonlyMap<string, Uint8Array | null>;

export const OPERATORS = [
  "delete-key",
  "rename-key",
  "duplicate-key",
  "duplicate-item",
  "swap-type",
  "set-string",
  "splice-string",
  "splice-text",
  "huge-number",
  "proto-key",
  "transplant",
  "anchor-alias",
  "merge-key",
  "directive",
  "tab",
  "bom",
  "line-endings",
  "cut-lines",
  "insert-text",
  "bad-bytes",
  "rename-file",
  "delete-file",
  "rename-parameter",
] as const;
export type Operator = (typeof OPERATORS)[number];

export interface Step {
  readonly op: Operator;
  readonly a: number;
  readonly b: number;
  readonly c: number;
  /** Text the step writes (a weird string, a key, inserted text). */
  readonly text: string;
}
export type Plan = readonly Step[];

/** A string value a step wrote, at its place in its file, for the check that it reaches Nix. */
export interface Written {
  readonly file: string;
  readonly path: readonly (string | number)[];
}

export const PROTO_NAMES = [
  "__proto__",
  "constructor",
  "toString",
  "valueOf",
  "hasOwnProperty",
  "isPrototypeOf",
  "__defineGetter__",
];

const NUMBERS: readonly (number | bigint)[] = [
  2 ** 53,
  2 ** 53 + 2,
  2n ** 63n,
  -(2n ** 64n),
  12345678901234567890n,
  1e308,
  1e-320,
  Infinity,
  -Infinity,
  Number.NaN,
  -0,
  0.1,
  -1,
  0,
];

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

const encoder = new TextEncoder();
const decoder = new TextDecoder();

const pick = <T>(items: readonly T[], n: number): T => items[n % items.length]!;

/** A working copy of a package set that steps change. */
class Mutable {
  readonly files = new Map<string, Uint8Array | null>();
  readonly written: Written[] = [];

  constructor(private readonly base: Files) {}

  paths(filter: (path: string) => boolean): string[] {
    const all = new Set([...this.base.keys(), ...this.files.keys()]);
    return [...all].filter((p) => this.bytes(p) !== null && filter(p)).sort();
  }

  bytes(path: string): Uint8Array | null {
    return this.files.has(path) ? this.files.get(path)! : (this.base.get(path) ?? null);
  }

  text(path: string): string {
    return decoder.decode(this.bytes(path) ?? new Uint8Array());
  }

  setText(path: string, text: string): void {
    this.files.set(path, encoder.encode(text));
  }

  /** The YAML files, the one chosen by `n`, and its document (undefined when it does not parse). */
  yaml(n: number): { path: string; doc: Document } | undefined {
    const paths = this.paths((p) => p.endsWith(".yaml"));
    if (paths.length === 0) return undefined;
    const path = pick(paths, n);
    const doc = parseDocument(this.text(path), { keepSourceTokens: false });
    return doc.errors.length > 0 ? undefined : { path, doc };
  }
}

interface Located {
  readonly node: Node;
  readonly path: readonly (string | number)[];
}

/** Every node of a document that is a value (not a key), with its path, in document order. */
function nodesOf(doc: Document): Located[] {
  const found: Located[] = [];
  visit(doc, {
    Node(key, node, ancestors) {
      if (key !== "key") found.push({ node: node as Node, path: pathOf(ancestors, node) });
    },
  });
  return found;
}

/** The data path of a node from its ancestors (map keys, sequence indices). */
function pathOf(ancestors: readonly unknown[], node: unknown): (string | number)[] {
  const path: (string | number)[] = [];
  const chain = [...ancestors, node];
  for (let i = 1; i < chain.length; i++) {
    const parent = chain[i - 1];
    const child = chain[i];
    if (isSeq(parent)) path.push(parent.items.indexOf(child as Node));
    else if (isPair(child) && isScalar(child.key)) path.push(String(child.key.value));
  }
  return path;
}

const pairsOf = (doc: Document): { map: YAMLMap; index: number }[] =>
  nodesOf(doc).flatMap(({ node }) =>
    isMap(node) ? node.items.map((_, index) => ({ map: node, index })) : [],
  );

const stringScalars = (doc: Document): Located[] =>
  nodesOf(doc).filter(({ node }) => isScalar(node) && typeof node.value === "string");

/** Values a node may be swapped for, by kind. */
function otherValue(doc: Document, n: number, text: string): Node {
  const values: unknown[] = [
    "",
    0,
    -1,
    1.5,
    true,
    null,
    {},
    [],
    { x: 1 },
    ["a"],
    text,
    { [text]: text },
    [text, text],
  ];
  return doc.createNode(pick(values, n)) as Node;
}

function styledString(text: string, n: number): Scalar {
  const scalar = new Scalar(text);
  scalar.type = pick(
    [
      Scalar.PLAIN,
      Scalar.QUOTE_DOUBLE,
      Scalar.QUOTE_SINGLE,
      Scalar.BLOCK_LITERAL,
      Scalar.BLOCK_FOLDED,
    ] as const,
    n,
  );
  return scalar;
}

/** Replace the node at `target` (a value in a map or sequence) by `value`. */
function replaceNode(doc: Document, target: Node, value: Node): boolean {
  let done = false;
  visit(doc, {
    Pair(_key, pair) {
      if (!done && pair.value === target) {
        pair.value = value;
        done = true;
      }
    },
    Seq(_key, seq) {
      const i = seq.items.indexOf(target);
      if (!done && i >= 0) {
        seq.items[i] = value;
        done = true;
      }
    },
  });
  if (!done && doc.contents === target) {
    doc.contents = value as Document["contents"];
    done = true;
  }
  return done;
}

/** Apply one step of the document kind; false when it found nothing to change. */
function applyToDocument(m: Mutable, step: Step): boolean {
  const found = m.yaml(step.a);
  if (found === undefined) return false;
  const { path, doc } = found;
  const nodes = nodesOf(doc);
  const finish = (wrote?: readonly (string | number)[]) => {
    let text: string;
    try {
      text = String(doc);
    } catch {
      return false; // the library does not write some documents (an alias before its anchor)
    }
    m.setText(path, text);
    if (wrote !== undefined) m.written.push({ file: path, path: wrote });
    return true;
  };
  switch (step.op) {
    case "delete-key": {
      const pairs = pairsOf(doc);
      if (pairs.length === 0) return false;
      const { map, index } = pick(pairs, step.b);
      map.items.splice(index, 1);
      return finish();
    }
    case "rename-key": {
      const pairs = pairsOf(doc);
      if (pairs.length === 0) return false;
      const { map, index } = pick(pairs, step.b);
      const pair = map.items[index]!;
      const old = isScalar(pair.key) ? String(pair.key.value) : "";
      const names = [...PROTO_NAMES, step.text, `${old}x`, old.slice(1), "kind", "extends", "<<"];
      pair.key = new Scalar(pick(names, step.c));
      return finish();
    }
    case "duplicate-key": {
      const pairs = pairsOf(doc);
      if (pairs.length === 0) return false;
      const { map, index } = pick(pairs, step.b);
      map.items.splice(index + 1, 0, map.items[index]!.clone() as Pair);
      return finish();
    }
    case "duplicate-item": {
      const seqs = nodes.filter(({ node }) => isSeq(node) && node.items.length > 0);
      if (seqs.length === 0) return false;
      const seq = pick(seqs, step.b).node as YAMLSeq;
      const i = step.c % seq.items.length;
      const item = seq.items[i] as Node;
      seq.items.splice(i + 1, 0, item.clone());
      return finish();
    }
    case "swap-type": {
      if (nodes.length === 0) return false;
      const { node, path: at } = pick(nodes, step.b);
      const value = otherValue(doc, step.c, step.text);
      if (!replaceNode(doc, node, value)) return false;
      return finish(isScalar(value) && typeof value.value === "string" ? at : undefined);
    }
    case "set-string": {
      const scalars = nodes.filter(({ node }) => isScalar(node));
      if (scalars.length === 0) return false;
      const { node, path: at } = pick(scalars, step.b);
      if (!replaceNode(doc, node, styledString(step.text, step.c))) return false;
      return finish(at);
    }
    case "splice-string":
    case "splice-text": {
      // Free text (commands, scripts, templates) holds spaces or line breaks.
      const all = stringScalars(doc);
      const text = all.filter(({ node }) => /\s/.test((node as Scalar<string>).value));
      const scalars = step.op === "splice-text" ? text : all;
      if (scalars.length === 0) return false;
      const { node, path: at } = pick(scalars, step.b);
      const value = (node as Scalar<string>).value;
      const cut = step.c % (value.length + 1);
      const spliced = styledString(value.slice(0, cut) + step.text + value.slice(cut), step.c);
      if (!replaceNode(doc, node, spliced)) return false;
      return finish(at);
    }
    case "huge-number": {
      const scalars = nodes.filter(({ node }) => isScalar(node));
      if (scalars.length === 0) return false;
      const { node } = pick(scalars, step.b);
      return replaceNode(doc, node, doc.createNode(pick(NUMBERS, step.c)) as Node) && finish();
    }
    case "proto-key": {
      const maps = nodes.filter(({ node }) => isMap(node));
      if (maps.length === 0) return false;
      const map = pick(maps, step.b).node as YAMLMap;
      map.items.push(doc.createPair(pick(PROTO_NAMES, step.c), otherValue(doc, step.a, step.text)));
      return finish();
    }
    case "transplant": {
      const other = m.yaml(step.a + step.c + 1);
      const maps = nodes.filter(({ node }) => isMap(node));
      if (other === undefined || maps.length === 0) return false;
      const donors = nodesOf(other.doc).filter(({ node }) => !isAlias(node));
      if (donors.length === 0) return false;
      const donor = pick(donors, step.c).node;
      const map = pick(maps, step.b).node as YAMLMap;
      const keys = map.items.map((p) => (isScalar(p.key) ? String(p.key.value) : "x"));
      const key = keys.length > 0 ? pick(keys, step.c) : "x";
      map.set(key, donor.clone());
      return finish();
    }
    case "anchor-alias": {
      if (nodes.length < 2) return false;
      const source = pick(nodes, step.b).node;
      const target = pick(nodes, step.c).node;
      if (source === target || isAlias(source)) return false;
      source.anchor = "fuzz";
      return replaceNode(doc, target, new Alias("fuzz")) && finish();
    }
    case "merge-key": {
      const maps = nodes.filter(({ node }) => isMap(node));
      if (maps.length < 2) return false;
      const source = pick(maps, step.b).node;
      const target = pick(maps, step.c).node as YAMLMap;
      if (source === target) return false;
      source.anchor = "base";
      target.items.unshift(doc.createPair("<<", new Alias("base")));
      return finish();
    }
    default:
      return false;
  }
}

function splitLines(text: string): string[] {
  return text.split("\n");
}

/** Apply one step of the text kind to the text of a descriptor. */
function applyToText(m: Mutable, step: Step): boolean {
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

/** Apply one step of the file kind. */
function applyToFiles(m: Mutable, step: Step): boolean {
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

const DOCUMENT_OPS: ReadonlySet<Operator> = new Set([
  "delete-key",
  "rename-key",
  "duplicate-key",
  "duplicate-item",
  "swap-type",
  "set-string",
  "splice-string",
  "splice-text",
  "huge-number",
  "proto-key",
  "transplant",
  "anchor-alias",
  "merge-key",
]);
const FILE_OPS: ReadonlySet<Operator> = new Set(["rename-file", "delete-file", "rename-parameter"]);

/** The files the plan changes, and the string values it wrote. */
export function mutate(base: Files, plan: Plan): { files: Files; written: readonly Written[] } {
  const m = new Mutable(base);
  for (const step of plan) {
    if (DOCUMENT_OPS.has(step.op)) applyToDocument(m, step);
    else if (FILE_OPS.has(step.op)) applyToFiles(m, step);
    else applyToText(m, step);
  }
  // A later step may have moved or rewritten the file a string was written to.
  const written = m.written.filter((w) => m.bytes(w.file) !== null);
  return { files: m.files, written };
}

/** The value at `path` in a YAML text, when it parses and is a string there. */
export function stringAt(text: string, path: readonly (string | number)[]): string | undefined {
  const doc = parseDocument(text, { uniqueKeys: false });
  if (doc.errors.length > 0) return undefined;
  const node = doc.getIn(path, true);
  return isScalar(node) && typeof node.value === "string" ? node.value : undefined;
}
