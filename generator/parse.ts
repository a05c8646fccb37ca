// Stage 2, parse: read a descriptor as YAML 1.2, keeping the source ranges of every node so later
// stages can point at the exact line and column of a problem. Everything a YAML file can hold that
// a descriptor cannot (other YAML versions, tags, NUL characters, numbers JavaScript cannot hold
// exactly, unbounded nesting) stops here, at its place in the file.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { LineCounter, parseDocument, type Document } from "yaml";
import { withoutPrototypes } from "./data.ts";
import { bytesKey, ParseCache } from "./parse-cache.ts";
import type { Diagnostic } from "./diagnostics.ts";
import type { DescriptorFile } from "./discover.ts";
import { depthOf, documentProblem, firstAlias, type Found } from "./yaml-checks.ts";
import { MAX_DEPTH, tooDeep } from "./yaml-errors.ts";

export const MAX_DESCRIPTOR_BYTES = 1024 * 1024;
/** Bound on alias expansion, against "billion laughs" documents. */
export const MAX_ALIAS_COUNT = 100;
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

/**
 * Read and parse every descriptor; one an earlier run parsed cleanly is taken from the parse cache
 * (parse-cache.ts). `warnings` says when the cache could not be used. Nothing is kept for a later
 * run of the same process: at a large size that would hold every descriptor's bytes, text and
 * data for as long as the process lives.
 */
export async function parseFiles(
  root: string,
  files: readonly DescriptorFile[],
  warnings: string[] = [],
): Promise<ParseResult[]> {
  const cache = ParseCache.open();
  warnings.push(...cache.warnings);
  const results: ParseResult[] = [];
  for (const file of files) {
    let bytes: Uint8Array;
    try {
      // Read synchronously: one await per file costs more than the read itself (many small files).
      bytes = readFileSync(join(root, file.path));
    } catch (error) {
      results.push({ diagnostics: [unreadable(file, error)] });
      continue;
    }
    results.push(parseCached(file, bytes, cache));
  }
  cache.save();
  return results;
}

/** Parse `bytes`, or take the data of an earlier clean parse of the same bytes from the cache. */
function parseCached(file: DescriptorFile, bytes: Uint8Array, cache: ParseCache): ParseResult {
  const key = bytesKey(bytes);
  const json = cache.get(key);
  if (json !== undefined) {
    // Cleanly parsed before: the bytes are UTF-8 without NUL, so the text is their decoding.
    const text = readableText(new TextDecoder("utf-8").decode(bytes));
    const descriptor = lazyDocument(file, text, withoutPrototypes(JSON.parse(json)));
    return { text, descriptor, diagnostics: [] };
  }
  const result = parseBytes(file, bytes);
  if (result.descriptor !== undefined && result.diagnostics.length === 0) {
    cache.set(key, result.descriptor.value);
  }
  return result;
}

/** A descriptor whose YAML document is parsed again from its text when first asked for. */
function lazyDocument(file: DescriptorFile, text: string, value: unknown): ParsedDescriptor {
  let parsed: { doc: Document.Parsed; lineCounter: LineCounter } | undefined;
  const document = () => (parsed ??= yamlDocument(text));
  return {
    file,
    text,
    value,
    get doc() {
      return document().doc;
    },
    get lineCounter() {
      return document().lineCounter;
    },
  };
}

/** YAML 1.2 reads a lone CR as a line break, as LF and CRLF; the parser only knows the last two. */
const readableText = (decoded: string): string => decoded.replace(/\r(?!\n)/g, "\n");

/** The YAML document of a descriptor's text, with the options every parse uses. */
function yamlDocument(text: string): { doc: Document.Parsed; lineCounter: LineCounter } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    uniqueKeys: true,
    stringKeys: true,
    prettyErrors: false,
    logLevel: "error",
  });
  return { doc, lineCounter };
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
  const text = readableText(decoded.text);
  const nul = text.indexOf("\0");
  if (nul >= 0) {
    const position = { ...lineAndColumn(text, nul), length: 1 };
    return {
      text,
      diagnostics: [diagnostic("nul-byte", "expected text, found a NUL byte", position)],
    };
  }
  const { doc, lineCounter } = yamlDocument(text);
  const at = (found: Found): Diagnostic => {
    const { line, col } = lineCounter.linePos(found.offset);
    const position = { line, column: col, length: Math.max(1, found.length) };
    return diagnostic(found.code, found.message, position, found.hint);
  };
  const lineOf = (offset: number) => lineCounter.linePos(offset).line;
  const found = documentProblem(doc, text, lineOf);
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
  // The document is dropped (a large set's documents do not fit in memory together), and
  // parsed again if a later stage asks for a position, as for a descriptor from the cache.
  return { text, descriptor: lazyDocument(file, text, withoutPrototypes(value)), diagnostics: [] };
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
