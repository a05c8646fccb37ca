// Stage 2, parse: read a descriptor as YAML 1.2, keeping the source ranges of every node so later
// stages can point at the exact line and column of a problem. Everything a YAML file can hold that
// a descriptor cannot (other YAML versions, tags, NUL characters, numbers JavaScript cannot hold
// exactly, unbounded nesting) stops here, at its place in the file.

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  isAlias,
  isCollection,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node,
} from "yaml";
import { withoutPrototypes } from "./data.ts";
import type { Diagnostic } from "./diagnostics.ts";
import type { DescriptorFile } from "./discover.ts";
import { MAX_DEPTH, tooDeep, yamlProblem } from "./yaml-errors.ts";

export const MAX_DESCRIPTOR_BYTES = 1024 * 1024;
/** Bound on alias expansion, against "billion laughs" documents. */
export const MAX_ALIAS_COUNT = 100;
/** Tags of plain YAML 1.2 values; any other tag makes a value descriptors cannot hold. */
const PLAIN_TAGS = new Set(
  ["str", "int", "float", "bool", "null", "map", "seq"].map((t) => `tag:yaml.org,2002:${t}`),
);

export interface ParsedDescriptor {
  readonly file: DescriptorFile;
  /** The decoded text (without BOM, line breaks as LF or CRLF), as shown in code frames. */
  readonly text: string;
  readonly doc: Document.Parsed;
  readonly lineCounter: LineCounter;
  /** The plain data of the document; its mappings have no prototype. */
  readonly value: unknown;
}

export interface ParseResult {
  readonly descriptor?: ParsedDescriptor;
  readonly text?: string;
  readonly diagnostics: readonly Diagnostic[];
}

/** The previous run's results by absolute path, with the bytes each was parsed from. */
let previousRun = new Map<string, { readonly bytes: Uint8Array; readonly result: ParseResult }>();

/**
 * Read and parse every descriptor. Parsing is a pure function of the bytes, so a file read with
 * the bytes it had in the previous run of this process keeps that run's result (its data is
 * frozen: no stage may change it).
 */
export async function parseFiles(
  root: string,
  files: readonly DescriptorFile[],
): Promise<ParseResult[]> {
  const thisRun = new Map<string, { bytes: Uint8Array; result: ParseResult }>();
  const results: ParseResult[] = [];
  for (const file of files) {
    const path = join(root, file.path);
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (error) {
      results.push({ diagnostics: [unreadable(file, error)] });
      continue;
    }
    const previous = previousRun.get(path);
    const same = previous !== undefined && Buffer.compare(previous.bytes, bytes) === 0;
    const result = same ? previous.result : parseBytes(file, bytes);
    thisRun.set(path, { bytes, result });
    results.push(result);
  }
  previousRun = thisRun;
  return results;
}

/** A descriptor that cannot be read at all (its permissions, or removed meanwhile). */
function unreadable(file: DescriptorFile, error: unknown): Diagnostic {
  const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  return {
    severity: "error",
    code: "path/unreadable",
    file: file.path,
    line: 0,
    column: 0,
    length: 0,
    field: "",
    message: `cannot be read (${code})`,
    hint: code === "EACCES" ? `give yourself read access: chmod u+r ${file.path}` : undefined,
  };
}

/** An error found in `text`: its place, code (after `yaml/`), message and hint. */
interface Found {
  readonly offset: number;
  readonly length: number;
  readonly code: string;
  readonly message: string;
  readonly hint?: string;
}

export function parseBytes(file: DescriptorFile, bytes: Uint8Array): ParseResult {
  const diagnostic = (
    code: string,
    message: string,
    position = { line: 0, column: 0, length: 0 },
    hint?: string,
  ): Diagnostic => ({
    severity: "error",
    code: `yaml/${code}`,
    file: file.path,
    ...position,
    field: "",
    message,
    ...(hint === undefined ? {} : { hint }),
  });
  if (bytes.length > MAX_DESCRIPTOR_BYTES) {
    return {
      diagnostics: [diagnostic("too-large", `expected at most 1 MiB, found ${bytes.length} bytes`)],
    };
  }
  const decoded = decodeUtf8(bytes);
  if (decoded.invalidAt !== undefined) {
    const position = { ...lineAndColumn(decoded.text, decoded.invalidAt), length: 1 };
    return {
      text: decoded.text,
      diagnostics: [
        diagnostic(
          "invalid-utf8",
          "expected UTF-8 text, found a byte that is not UTF-8 (shown as �)",
          position,
          "save the file as UTF-8",
        ),
      ],
    };
  }
  // YAML 1.2 reads a lone CR as a line break, as LF and CRLF; the parser only knows the last two.
  const text = decoded.text.replace(/\r(?!\n)/g, "\n");
  const lineCounter = new LineCounter();
  const at = (found: Found): Diagnostic => {
    const { line, col } = lineCounter.linePos(found.offset);
    const position = { line, column: col, length: Math.max(1, found.length) };
    return diagnostic(found.code, found.message, position, found.hint);
  };
  const nul = text.indexOf("\0");
  if (nul >= 0) {
    const position = { ...lineAndColumn(text, nul), length: 1 };
    return {
      text,
      diagnostics: [diagnostic("nul-byte", "expected text, found a NUL byte", position)],
    };
  }
  const doc = parseDocument(text, {
    lineCounter,
    uniqueKeys: true,
    stringKeys: true,
    prettyErrors: false,
    logLevel: "error",
  });
  const lineOf = (offset: number) => lineCounter.linePos(offset).line;
  const found =
    syntaxProblem(doc, text, lineOf) ??
    versionProblem(doc, text) ??
    unresolvedAlias(doc) ??
    valueProblem(doc, text);
  if (found !== undefined) return { text, diagnostics: [at(found)] };
  if (doc.contents === null) {
    return {
      text,
      diagnostics: [
        diagnostic("empty", "expected a descriptor mapping with a kind, found an empty file"),
      ],
    };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    // A bound exceeded by the document as a whole: no single place to point at.
    const deep = error instanceof RangeError;
    return {
      text,
      diagnostics: [
        deep
          ? diagnostic("too-deep", tooDeep().message, undefined, "aliases nest values too deeply")
          : diagnostic(
              "alias-limit",
              `expected aliases to expand to at most ${MAX_ALIAS_COUNT} nodes, found more`,
              undefined,
              "write the repeated values out, or use a fragment (extends)",
            ),
      ],
    };
  }
  const deepAlias = depthOf(value) > MAX_DEPTH ? firstAlias(doc) : undefined;
  if (deepAlias !== undefined)
    return { text, diagnostics: [at({ ...deepAlias, code: "too-deep", ...tooDeep() })] };
  return {
    text,
    descriptor: { file, text, doc, lineCounter, value: withoutPrototypes(value) },
    diagnostics: [],
  };
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
function depthOf(value: unknown): number {
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

function firstAlias(doc: Document.Parsed): { offset: number; length: number } | undefined {
  let found: { offset: number; length: number } | undefined;
  walk(doc, (node) => {
    if (found === undefined && isAlias(node)) {
      const [start, end] = node.range ?? [0, 1];
      found = { offset: start, length: end - start };
    }
  });
  return found;
}

/**
 * The text (invalid bytes shown as U+FFFD) and the UTF-16 index of the first invalid byte, if
 * any. A U+FFFD the decoder produced, unlike one written in the file, does not stand on the
 * three bytes EF BF BD.
 */
function decodeUtf8(bytes: Uint8Array): { text: string; invalidAt?: number } {
  const text = new TextDecoder("utf-8", { fatal: false, ignoreBOM: false }).decode(bytes);
  let offset = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let index = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    const written =
      bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd;
    if (code === 0xfffd && !written) return { text, invalidAt: index };
    offset += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    index += char.length;
  }
  return { text };
}

/** 1-based line and column of a UTF-16 index. */
function lineAndColumn(text: string, index: number): { line: number; column: number } {
  const before = text.slice(0, index);
  const lineStart = Math.max(before.lastIndexOf("\n"), before.lastIndexOf("\r")) + 1;
  return { line: (before.match(/\r\n|\r|\n/g) ?? []).length + 1, column: index - lineStart + 1 };
}

export type FieldPath = readonly (string | number)[];

/** Source offsets [start, end) of a node: the key of a mapping entry (`key`) or its value. */
export function rangeOf(
  d: ParsedDescriptor,
  path: FieldPath,
  which: "key" | "value" = "value",
): [number, number] {
  const rangeOfNode = (n: unknown) => (n as { range?: number[] } | null | undefined)?.range;
  let node: unknown = d.doc.contents;
  let range = rangeOfNode(node);
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment),
      );
      if (pair === undefined) break;
      if (i === path.length - 1 && which === "key") {
        range = rangeOfNode(pair.key);
        break;
      }
      node = pair.value;
      range = rangeOfNode(node) ?? rangeOfNode(pair.key);
    } else if (isSeq(node) && typeof segment === "number" && node.items[segment] !== undefined) {
      node = node.items[segment];
      range = rangeOfNode(node);
    } else break;
  }
  const start = range?.[0] ?? 0;
  return [start, range?.[1] ?? start + 1];
}

/** Line, column and underline length (kept on one line) of a source range. */
export function positionAt(d: ParsedDescriptor, start: number, end: number) {
  const { line, col } = d.lineCounter.linePos(start);
  const lineEnd = d.text.indexOf("\n", start);
  const length = Math.max(1, Math.min(end, lineEnd < 0 ? end : lineEnd) - start);
  return { line, column: col, length };
}

/** Line, column and length of a node, for diagnostics. */
export function positionOf(d: ParsedDescriptor, path: FieldPath, which: "key" | "value" = "value") {
  const [start, end] = rangeOf(d, path, which);
  return positionAt(d, start, end);
}

/** Position of `needle` written literally inside the node at `path`, else of the node itself. */
export function positionOfText(d: ParsedDescriptor, path: FieldPath, needle: string) {
  const [start, end] = rangeOf(d, path);
  const found = d.text.slice(start, end).indexOf(needle);
  return found < 0
    ? positionAt(d, start, end)
    : positionAt(d, start + found, start + found + needle.length);
}

/** Dotted rendering of a field path: `services[0].user`. */
export function fieldName(path: FieldPath): string {
  return path.map((s, i) => (typeof s === "number" ? `[${s}]` : i === 0 ? s : `.${s}`)).join("");
}
