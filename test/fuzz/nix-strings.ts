// The string values in the output of `nix-instantiate --parse`, which shows every string Nix read
// as a double-quoted literal (indentation stripped, escapes resolved, every `$` as `\$`). Nix cuts
// a string into pieces at escapes and lines (`"a" + "\$" + "{b}"`): pieces joined by ` + ` are
// joined back, so a value can be searched whole.

const ESCAPES: Readonly<Record<string, string>> = { n: "\n", r: "\r", t: "\t" };

export function nixStringValues(parsed: string): string[] {
  const values: string[] = [];
  let i = 0;
  while (i < parsed.length) {
    if (parsed[i] !== '"') {
      i++;
      continue;
    }
    let value = "";
    // One literal, then more while the next is ` + "`.
    for (;;) {
      i++;
      while (i < parsed.length && parsed[i] !== '"') {
        if (parsed[i] === "\\") {
          const next = parsed[i + 1] ?? "";
          value += Object.hasOwn(ESCAPES, next) ? ESCAPES[next] : next;
          i += 2;
        } else {
          value += parsed[i];
          i++;
        }
      }
      i++; // the closing quote
      if (!parsed.startsWith(' + "', i)) break;
      i += 3;
    }
    values.push(value);
  }
  return values;
}
