// What each error of the `yaml` library means for a descriptor, in the project's words: what was
// expected, and what to write instead. The library's own messages speak to programmers using it
// ("please use YAML.parseAllDocuments()"); maintainers need to know what to change in their file.

export interface YamlProblem {
  /** Our code, after `yaml/`. */
  readonly code: string;
  readonly message: string;
  readonly hint?: string;
}

/** Specific library messages, matched in order; the first group of a match is quoted in ours. */
const BY_MESSAGE: readonly [RegExp, (detail: string) => Omit<YamlProblem, "code">][] = [
  [
    /^Missing closing "?(\S*)quote/,
    () => ({
      message: "expected a closing quote for this string, found the end of the value",
      hint: "close the string with the quote it starts with",
    }),
  ],
  [
    /^Implicit map keys need to be followed by map values/,
    () => ({
      message: "expected `key: value`, found a key without a colon",
      hint: "add `: ` after the key, or indent the line under the key it belongs to",
    }),
  ],
  [
    /^Comments must be separated from other tokens by white space/,
    () => ({
      message: "expected a space before `#`, which starts a comment",
      hint: "write ` #` for a comment, or quote a value that contains #",
    }),
  ],
  [
    /^Tags and anchors must be separated from the next token by white space/,
    () => ({ message: "expected a space after the anchor or tag" }),
  ],
  [
    /^Sequence item without - indicator/,
    () => ({ message: "expected `- ` before this list item" }),
  ],
  [
    /^Missing , (?:or : )?between (flow \w+) items/,
    () => ({ message: "expected a comma between the items of a `[ ]` or `{ }` collection" }),
  ],
  [
    /^Missing space after : in (flow \w+)/,
    () => ({ message: "expected a space after `:` inside a `{ }` mapping" }),
  ],
  [
    /^Missing directives-end/,
    () => ({
      message: "expected a `---` line after a directive",
      hint: "descriptors need no directives: remove the `%` line",
    }),
  ],
  [
    /^Unexpected (\S+) in flow/,
    (found) => ({
      message: `found an unexpected ${JSON.stringify(found)} inside a \`[ ]\` or \`{ }\` collection`,
      hint: "quote values that contain , [ ] { } or :",
    }),
  ],
  [
    /^Unexpected empty item in/,
    () => ({ message: "found an empty item (two commas in a row) in a `[ ]` or `{ }` collection" }),
  ],
  [
    /^Invalid escape sequence (.*)$/,
    (escape) => ({
      message: `found the invalid escape ${escape} in a double-quoted string`,
      hint: "write \\\\ for a backslash, or use single quotes, where \\ has no special meaning",
    }),
  ],
  [
    /^Plain value cannot start with (.*)$/,
    (char) => ({
      message: `expected a value, found ${char}, which cannot start a plain value`,
      hint: "quote the value",
    }),
  ],
  [
    /^Nested mappings are not allowed in compact mappings/,
    () => ({
      message: "found a second `key:` in a value on the same line",
      hint: "quote the value if its colon is text, or put the nested mapping on lines of its own",
    }),
  ],
  [
    /^All sequence items must start at the same column/,
    () => ({ message: "expected every `- ` item of this list at the same column" }),
  ],
];

/** By library code, for the messages not matched above. */
const BY_CODE: Readonly<Record<string, Omit<YamlProblem, "code">>> = {
  ALIAS_PROPS: { message: "expected an alias (`*name`) without an anchor or a tag of its own" },
  BAD_ALIAS: { message: "expected an anchor or alias name (`&name`, `*name`) not ending in `:`" },
  BAD_COLLECTION_TYPE: {
    message: "found a tag that does not fit this collection",
    hint: "descriptors need no tags: remove it",
  },
  BAD_DIRECTIVE: {
    message: "found a directive descriptors do not use",
    hint: "remove the `%` line",
  },
  BAD_DQ_ESCAPE: { message: "found an invalid escape in a double-quoted string" },
  BAD_INDENT: {
    message: "expected this line indented like the other items of its block",
    hint: "indent with spaces, the same number for every key or item of one mapping or list",
  },
  BAD_PROP_ORDER: { message: "expected the anchor or tag after the `-`, `?` or `:` indicator" },
  BAD_SCALAR_START: { message: "expected a value here", hint: "quote the value" },
  BLOCK_AS_IMPLICIT_KEY: {
    message: "found a mapping or list where a key is expected",
    hint: "start the nested mapping or list on a line of its own, indented under its key",
  },
  BLOCK_IN_FLOW: {
    message: "found a block value (`- `, `|` or `>`) inside a `[ ]` or `{ }` collection",
    hint: "write the whole collection in block form, one item per line",
  },
  IMPOSSIBLE: { message: "found text that cannot be read as YAML here" },
  KEY_OVER_1024_CHARS: { message: "expected a key of at most 1024 characters before its `:`" },
  MISSING_CHAR: { message: "expected a character that is missing here" },
  MULTILINE_IMPLICIT_KEY: {
    message: "expected a key on one line, found one that spans several lines",
    hint: "a `:` may be missing at the end of the line before, or a quote may be left open",
  },
  MULTIPLE_ANCHORS: { message: "expected at most one anchor (`&name`) on a value" },
  MULTIPLE_DOCS: {
    message: "expected one descriptor per file, found a second document after `---`",
    hint: "move the second document to a file of its own",
  },
  MULTIPLE_TAGS: { message: "expected at most one tag on a value" },
  NON_STRING_KEY: {
    message: "expected a key that is text, found a list or a mapping used as a key",
    hint: "keys are names: write `name: value`",
  },
  TAB_AS_INDENT: {
    message: "expected spaces for indentation, found a tab",
    hint: "replace the tab with spaces",
  },
  TAG_RESOLVE_FAILED: {
    message: "found a tag descriptors do not use",
    hint: "descriptors hold plain YAML 1.2 values: remove the tag",
  },
  UNEXPECTED_TOKEN: { message: "found text that does not belong here" },
};

/** Our problem for a library error: code, message and hint. */
export function yamlProblem(libraryCode: string, libraryMessage: string): YamlProblem {
  const code = OUR_CODES.get(libraryCode) ?? dashed(libraryCode);
  if (libraryCode === "RESOURCE_EXHAUSTION") return { code, ...tooDeep() };
  for (const [pattern, wording] of BY_MESSAGE) {
    const match = pattern.exec(libraryMessage);
    if (match !== null) return { code, ...wording(match[1] ?? "") };
  }
  return { code, ...(BY_CODE[libraryCode] ?? { message: "found text that is not valid YAML" }) };
}

export const MAX_DEPTH = 64;

export function tooDeep(): Omit<YamlProblem, "code"> {
  return {
    message: `expected values nested at most ${MAX_DEPTH} levels deep, found deeper nesting`,
    hint: "a descriptor needs far fewer levels: look for unclosed [ or {",
  };
}

/** Library codes that share one of ours; the others become `yaml/<code-in-dashes>`. */
const OUR_CODES = new Map([
  ["RESOURCE_EXHAUSTION", "too-deep"],
  ["TAG_RESOLVE_FAILED", "tag"],
  ["BAD_COLLECTION_TYPE", "tag"],
]);

const dashed = (code: string): string => code.toLowerCase().replaceAll("_", "-");
