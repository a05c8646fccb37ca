// Perp services: the start command of a service is composed here, in the open, and written
// literally into the generated file (rc.main and helper scripts), so reviewers see what runs.
//
// Wrapping order, innermost first: environment file (runenv), pre-start script (config files
// rendered, then the maintainer's lines, or the other way round, then the image's own tail such as
// the fluentd wait, then exec), user (runuid, always), one-shot bookkeeping,
// then working directory (runtool -c) and exec.

import { nix, type Binding, type Expr, type StringPart } from "../generator/nix/index.ts";
import type { Service, Template } from "../generator/model.ts";
import { camelName, dataExpr, refHeads, textParts } from "./common.ts";
import { configText } from "./ini.ts";
import type { LetNames } from "./names.ts";

export interface PerpService {
  /** rc.main text, with interpolations. */
  readonly rcMain: StringPart[];
  /** `let` bindings for the helper files this service needs (scripts, config templates). */
  readonly bindings: Binding[];
  /** callPackage arguments used. */
  readonly args: string[];
}

const BASH: StringPart[] = ["#!", nix.ident("bash"), "/bin/bash\n"];
const PERP_RUN = "/var/run/perp";

/** `writeTextFile` of an executable script in `$out/bin/<name>`. */
function script(name: string, text: StringPart[]): Expr {
  return nix.call(
    nix.ident("writeTextFile"),
    nix.attrs([
      nix.bind("name", nix.string(name)),
      nix.bind("destination", nix.string(`/bin/${name}`)),
      nix.bind("executable", nix.bool(true)),
      nix.bind("text", nix.string(text)),
    ]),
  );
}

const basename = (path: string): string => path.slice(path.lastIndexOf("/") + 1);

/**
 * `preStartTail`: lines run last before the command, after the config files are rendered;
 * `names`: the file's `let` names, which the service's scripts and config files take from.
 */
export function perpService(s: Service, preStartTail: Template, names: LetNames): PerpService {
  const bindings: Binding[] = [];
  const args = new Set<string>(["bash"]);
  const use = (...names: string[]) => names.forEach((n) => args.add(n));
  const bindScript = (name: string, text: StringPart[]): Expr => {
    const variable = names.fresh(camelName(name));
    bindings.push(nix.bind(variable, script(name, text)));
    use("writeTextFile");
    return nix.ident(variable);
  };

  const templateFlags: StringPart[] = [];
  for (const file of s.configFiles) {
    const variable = names.fresh(camelName(s.name, basename(file.destination)));
    const text = configText(file.content);
    const fields = [
      nix.bind("name", nix.string(file.name)),
      nix.bind("text", nix.string(textParts(text))),
    ];
    if (file.check.yaml) {
      // Rendered against the mock data and linted as YAML at build time.
      fields.push(
        nix.bind(
          "yamlCheck",
          nix.attrs([
            nix.bind("mock", dataExpr(file.check.mock ?? {})),
            nix.bind("consulTemplateMock", nix.ident("consulTemplateMock")),
            nix.bind("yamllint", nix.ref("pkgs.python3Packages.yamllint")),
          ]),
        ),
      );
      use("consulTemplateMock", "pkgs");
    }
    bindings.push(
      nix.bind(
        variable,
        nix.call(nix.select(nix.ident("cwLib"), "consulTemplateFile"), nix.attrs(fields)),
      ),
    );
    use("cwLib", ...refHeads(text));
    const flag = s.templateFlagForm === "equals" ? ' -template="' : ' -template "';
    templateFlags.push(flag, nix.ident(variable), `:${file.destination}"`);
  }
  const wrapper = [
    s.consulTemplateWrapper,
    ...s.consulTemplateFlags.map((f) => ` ${f}`),
    " -- -once",
    ...templateFlags,
  ];

  // Without a command, the service is the consul-template call itself.
  let command: StringPart[] = s.command === null ? wrapper : textParts(s.command);
  if (s.command !== null) use(...refHeads(s.command));
  if (s.environmentFile !== null) {
    command = ["runenv ", ...textParts(s.environmentFile), " ", ...command];
    use(...refHeads(s.environmentFile));
  }

  const render: StringPart[] =
    templateFlags.length > 0 && s.command !== null ? [...wrapper, "\n"] : [];
  const lines: StringPart[] = [];
  if (s.preStart !== null) {
    lines.push(...textParts(s.preStart));
    use(...refHeads(s.preStart));
    if (!endsWithNewline(lines)) lines.push("\n");
  }
  const tail = textParts(preStartTail);
  use(...refHeads(preStartTail));
  const preStart =
    s.renderConfigFiles === "afterPreStart"
      ? [...lines, ...render, ...tail]
      : [...render, ...lines, ...tail];
  if (preStart.length > 0) {
    const start = bindScript(`start-${s.name}`, [
      ...BASH,
      "set -e\n",
      ...preStart,
      "exec ",
      ...command,
      "\n",
    ]);
    command = [start, `/bin/start-${s.name}`];
  }

  command = [`runuid ${s.user} `, ...command];

  if (s.oneShot) {
    const oneshot = bindScript(`oneshot-${s.name}`, [
      ...BASH,
      ...command,
      "\ncode=$?\n",
      `if [ "$code" -eq 0 ]; then touch ${PERP_RUN}/${s.name}.success; else touch ${PERP_RUN}/${s.name}.fail; fi\n`,
      'exit "$code"\n',
    ]);
    command = [oneshot, `/bin/oneshot-${s.name}`];
  }

  const exec: StringPart[] =
    s.chdir === null
      ? ["exec ", ...command]
      : ["exec runtool -c ", ...textParts(s.chdir), " ", ...command];
  if (s.chdir !== null) use(...refHeads(s.chdir));

  const rcMain: StringPart[] = [
    ...BASH,
    "exec 2>&1\n\nTARGET=$1\nSVNAME=$2\n",
    ...s.after.map((dep) => waitFor(s.name, dep)),
    s.oneShot ? oneShotGuard(s.name) : "",
    "\nstart() {\n  ",
    ...exec,
    "\n}\n\nreset() {\n  exit 0\n}\n\n",
    '"$TARGET" "$@"\n',
  ];
  return { rcMain, bindings, args: [...args] };
}

function endsWithNewline(parts: readonly StringPart[]): boolean {
  const last = parts[parts.length - 1];
  return typeof last === "string" && last.endsWith("\n");
}

/** Wait until `dep` succeeded (one-shot) or has been up for 3 seconds. */
function waitFor(name: string, dep: string): string {
  return [
    "",
    `echo "[${name}] Waiting for ${dep} to be up..."`,
    "while true; do",
    `  [ -e ${PERP_RUN}/${dep}.success ] && break`,
    `  [ -e ${PERP_RUN}/${dep}.fail ] && echo "[${name}] ${dep} did not run properly."`,
    `  perpok -b /etc/perp -u 3 ${dep} && break`,
    "  sleep 2",
    "done",
    `echo "[${name}] Starting."`,
    "",
  ].join("\n");
}

/** A one-shot service runs once; when perp resets it afterwards, it deactivates itself. */
function oneShotGuard(name: string): string {
  return [
    "",
    `if [ -e ${PERP_RUN}/${name}.started ]; then`,
    `  echo "Disable the oneshot perp service ${name} since it has been already executed"`,
    '  perpctl X "$SVNAME"',
    `  rm -f ${PERP_RUN}/${name}.started`,
    "  exit 0",
    "fi",
    `touch ${PERP_RUN}/${name}.started`,
    "",
  ].join("\n");
}
