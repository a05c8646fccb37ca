// INI configuration text as nixpkgs' toINI prints it: header lines, then `[SECTION]` blocks in
// name order separated by one empty line, `key=value` in key order, a final newline.

import type { ConfigContent, IniSection, Template } from "../generator/model.ts";

export function renderIni(header: readonly string[], sections: readonly IniSection[]): Template {
  const out: (string | Template[number])[] = header.map((line) => `${line}\n`);
  sections.forEach((section, i) => {
    out.push(`${i > 0 ? "\n" : ""}[${section.name}]\n`);
    for (const [key, value] of section.keys) {
      out.push(`${key}=`);
      if (typeof value === "object") out.push(...value);
      else out.push(String(value));
      out.push("\n");
    }
  });
  return out;
}

/** The text of a configuration file, whichever way the descriptor wrote it. */
export function configText(content: ConfigContent): Template {
  return content.type === "template" ? content.text : renderIni(content.header, content.sections);
}
