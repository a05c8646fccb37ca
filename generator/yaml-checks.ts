// What a parsed YAML document may not hold as a descriptor, found without recursion: a syntax
// error (in the project's words), a YAML version other than 1.2, an alias without its anchor, a
// tag beyond plain values, a NUL character, a number JavaScript cannot keep exactly or Nix cannot
// read, nesting deeper than MAX_DEPTH.

import { isAlias, isCollection, isMap, isPair, isScalar, type Document, type Node } from "yaml";
import { MAX_DEPTH, tooDeep, yamlProblem } from "./yaml-errors.ts";

/** Tags of plain YAML 1.2 values; any other tag makes a value descriptors cannot hold. */
const PLAIN_TAGS = new Set(
  ["str", "int", "float", "bool", "null", "map", "seq"].map((t) => `tag:yaml.org,2002:${t}`),
);

/** An error found in `text`: its place, code (after `yaml/`), message and hint. */
export interface Found {
  readonly offset: number;
  readonly length: number;
  readonly code: string;
  readonly message: string;
  readonly hint?: string;
}

/** The first problem of the document, or undefined when it can be read as data. */
export function documentProblem(
  doc: Document.Parsed,
  text: string,
  lineOf: (offset: number) => number,
): Found | undefined {
  return (
    syntaxProblem(doc, text, lineOf) ??
    versionProblem(doc, text) ??
    unresolvedAlias(doc) ??
    valueProblem(doc, text)
  );
}

/** The first syntax error of the document (the following ones are usually its echoes). */
function syntaxProblem(
  doc: Document.Parsed,
  text: string,
  lineOf: (offset: number) => number,
): Found | undefined {
  const first = [...doc.errors, ...doc.warnings][0];
  if (first === undefined) return undefined;
  const [start, end] = first.pos;
  const problem = yamlProblem(first.code, first.message);
  if (first.code === "DUPLICATE_KEY") {
    return { offset: start, length: end - start, ...duplicateKey(doc, text, start, lineOf) };
  }
  return { offset: start, length: end - start, ...problem };
}

function duplicateKey(
  doc: Document.Parsed,
  text: string,
  offset: number,
  lineOf: (offset: number) => number,
) {
  const first = firstKeyBefore(doc, offset);
  const key = first?.key ?? text.slice(offset, text.indexOf(":", offset)).trim();
  const where = first === undefined ? "" : `; first on line ${lineOf(first.offset)}`;
  return {
    code: "duplicate-key",
    message: `found the key ${JSON.stringify(key)} a second time in this mapping${where}`,
    hint: "keep one of the two: a mapping holds each key once",
  };
}

/** The first key of the mapping holding the key at `offset` that has the same text. */
function firstKeyBefore(
  doc: Document.Parsed,
  offset: number,
): { key: string; offset: number } | undefined {
  let result: { key: string; offset: number } | undefined;
  walk(doc, (node) => {
    if (result !== undefined || !isMap(node)) return;
    const keys = node.items.map((p) => p.key).filter(isScalar);
    const second = keys.find((k) => k.range?.[0] === offset);
    if (second === undefined) return;
    const first = keys.find((k) => String(k.value) === String(second.value));
    if (first !== undefined && first !== second) {
      result = { key: String(first.value), offset: first.range?.[0] ?? 0 };
    }
  });
  return result;
}

/** `%YAML 1.1` (or any version but 1.2) would change what values mean: yes/no, merge keys. */
function versionProblem(doc: Document.Parsed, text: string): Found | undefined {
  const yaml = doc.directives?.yaml;
  if (yaml === undefined || !yaml.explicit || yaml.version === "1.2") return undefined;
  const line = /^%YAML[^\n]*/m.exec(text);
  return {
    offset: line?.index ?? 0,
    length: line?.[0].length ?? 1,
    code: "version",
    message: `expected YAML 1.2, the language of descriptors, found ${line?.[0].trim() ?? `%YAML ${yaml.version}`}`,
    hint: "remove the %YAML line (and the --- after it)",
  };
}

/** Values a descriptor cannot hold: tags beyond plain values, NUL, inexact or endless numbers, deep nesting. */
function valueProblem(doc: Document.Parsed, text: string): Found | undefined {
  let found: Found | undefined;
  walk(doc, (node, depth) => {
    if (found !== undefined) return;
    const [start, end] = node.range ?? [0, 1];
    const here = (code: string, message: string, hint?: string) => {
      found = {
        offset: start,
        length: end - start,
        code,
        message,
        ...(hint === undefined ? {} : { hint }),
      };
    };
    if (depth > MAX_DEPTH) return here("too-deep", tooDeep().message, tooDeep().hint);
    if (node.tag !== undefined && !PLAIN_TAGS.has(node.tag) && !isAlias(node)) {
      found = {
        ...tagPosition(text, start, end),
        code: "tag",
        message: `found the tag ${node.tag.replace("tag:yaml.org,2002:", "!!")}, which descriptors do not use`,
        hint: "descriptors hold plain YAML 1.2 values: remove the tag",
      };
      return;
    }
    if (!isScalar(node)) return;
    const v = node.value;
    if (typeof v === "string" && v.includes("\0")) {
      return here(
        "nul-character",
        "expected text without NUL characters (the escape \\0), which Nix strings cannot hold",
        "remove the \\0 escape",
      );
    }
    if (typeof v === "number" && !Number.isFinite(v)) {
      return here(
        "number-range",
        `expected a finite number, found ${String(node.source ?? v)}`,
        "quote it if it is text",
      );
    }
    if (typeof v === "number" && v !== 0 && Math.abs(v) < 2.2250738585072014e-308) {
      return here(
        "number-range",
        `expected a number Nix can read, found ${String(node.source ?? v)}, below the smallest normal float`,
        "quote it if it is text",
      );
    }
    if (typeof v === "number" && Number.isInteger(v) && !Number.isSafeInteger(v)) {
      return here(
        "number-range",
        `expected an integer between -9007199254740991 and 9007199254740991, found ${String(node.source ?? v)}, which cannot be kept exactly`,
        "quote it if it is text",
      );
    }
  });
  return found;
}

/** Where the tag of a node is written: before its value on the same line, else the value. */
function tagPosition(text: string, start: number, end: number): { offset: number; length: number } {
  const lineStart = text.lastIndexOf("\n", start - 1) + 1;
  const tag = /(![^\s!]*(?:![^\s!]*)*)[^!\n]*$/.exec(text.slice(lineStart, start));
  if (tag === null) return { offset: start, length: end - start };
  return { offset: lineStart + tag.index, length: tag[1]!.length };
}

/** Visit every node (keys included) with its depth, without recursion. */
function walk(doc: Document.Parsed, visit: (node: Node, depth: number) => void): void {
  const stack: [unknown, number][] = doc.contents === null ? [] : [[doc.contents, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (isPair(node)) {
      stack.push([node.value, depth], [node.key, depth]);
      continue;
    }
    if (node === null || typeof node !== "object") continue;
    visit(node as Node, depth);
    if (isCollection(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) stack.push([node.items[i], depth + 1]);
    }
  }
}

/** How deeply plain data nests, without recursion. */
export function depthOf(value: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    max = Math.max(max, depth);
    if (max > MAX_DEPTH) return max;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return max;
}

/** The first alias whose anchor is not defined before it. */
function unresolvedAlias(doc: Document.Parsed): Found | undefined {
  const anchors = new Set<string>();
  let found: Found | undefined;
  walk(doc, (node) => {
    if (found !== undefined) return;
    if (node.anchor !== undefined) anchors.add(node.anchor);
    if (isAlias(node) && !anchors.has(node.source)) {
      const [start, end] = node.range ?? [0, 1];
      found = {
        offset: start,
        length: end - start,
        code: "unresolved-alias",
        message: `expected an anchor &${node.source} defined before this alias, found none`,
      };
    }
  });
  return found;
}

export function firstAlias(doc: Document.Parsed): { offset: number; length: number } | undefined {
  let found: { offset: number; length: number } | undefined;
  walk(doc, (node) => {
    if (found === undefined && isAlias(node)) {
      const [start, end] = node.range ?? [0, 1];
      found = { offset: start, length: end - start };
    }
  });
  return found;
}
