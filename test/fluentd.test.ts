// fluentd.conf rendering (docker-images.md §3.5), with the cases of the original's unit tests
// (§3.7) and the reusable specs of §3.6.

import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import type { Fluentd, FluentdDirective, Service } from "../generator/model.ts";
import { capturesStdout, participates, renderFluentdConf } from "../templates/fluentd.ts";
import { withFluentd } from "../templates/dockerImage.ts";

/** A service as resolve/dockerImage.ts builds it; only the name and fluentd matter here. */
const service = (name: string, fluentd: Fluentd | null): Service => ({
  name,
  command: ["/bin/true"],
  user: "nobody",
  preStart: null,
  configFiles: [],
  consulTemplateFlags: [],
  consulTemplateWrapper: "consul-template-wrapper",
  templateFlagForm: "space",
  renderConfigFiles: "beforePreStart",
  environmentFile: null,
  chdir: null,
  oneShot: false,
  after: [],
  fluentd,
});

const withSource = (name: string, source: FluentdDirective, filters: FluentdDirective[] = []) =>
  service(name, { source, filters });

/** fluentdForCService of §3.6. */
const fluentdForCService: Fluentd = {
  source: { type: "stdout" },
  filters: [
    {
      type: "parser",
      key_name: "message",
      parse: {
        type: "multi_format",
        pattern: [
          {
            format: "regexp",
            expression: String.raw`/^(?<time>[^:]+:[^:]+:[^:]+):[^\[]+\[[^ ]+ (?<thread>[^,]+), [^ ]+(?<pid>[^\]]+)\]: (?<message>.*)$/`,
            time_format: "%Y-%m-%d %a %H:%M:%S",
          },
          { format: "none" },
        ],
      },
    },
  ],
};

/** fluentdForPythonService of §3.6. */
const PY_EXPR = [
  String.raw`/^(?<host>[^ ]*) [^ ]* (?<user>[^ ]*) \[(?<time>[^\]]*)\] "(?<method>\S+)(?: +(?<path>[^ ]*) +\S*)?" (?<code>[^ ]*) (?<size>[^ ]*) (?<response_time>\d+.\d+)(.*)?$/`,
  String.raw`/^(?<time>([^ ]+ ){3})[^\:]+: (?<message>.*)$/`,
  String.raw`/^(?<level>\w+):(?<message>.*)$/`,
] as const;
const fluentdForPythonService: Fluentd = {
  source: { type: "stdout" },
  filters: [
    {
      type: "parser",
      key_name: "message",
      parse: {
        type: "multi_format",
        pattern: [
          { format: "regexp", expression: PY_EXPR[0], time_format: "%Y-%m-%d %H:%M:%S" },
          { format: "regexp", expression: PY_EXPR[1], time_format: "%m/%d/%Y %I:%M:%S %p" },
          { format: "regexp", expression: PY_EXPR[2] },
          { format: "none" },
        ],
      },
    },
  ],
};

const HEAD = `# used to check that fluentd is initialized
<source>
  @type forward
  port 24225
</source>
`;
const TAIL = `
<filter>
  @type generic_metadata
</filter>
<match log.**>
  @type forward
  time_as_integer true
  <server>
    name local
    host fluentd.localdomain
  </server>
</match>
`;

/** The whole file around the given sources and filters, each written as its lines. */
const conf = (sources: string[][], filters: string[][] = []): string =>
  HEAD +
  sources.map((lines) => `${lines.join("\n")}\n`).join("") +
  filters.map((lines) => `\n${lines.join("\n")}\n`).join("") +
  TAIL;

describe("renderFluentdConf", () => {
  it("renders dockerImages.contrailControl byte for byte (§3.5)", () => {
    const expected = String.raw`# used to check that fluentd is initialized
<source>
  @type forward
  port 24225
</source>
<source>
  format none
  path /tmp/opencontrail-control
  tag log.opencontrail-control
  @type named_pipe
</source>

<filter log.opencontrail-control>
  key_name message
  <parse>
  <pattern>
  expression /^(?<time>[^:]+:[^:]+:[^:]+):[^\[]+\[[^ ]+ (?<thread>[^,]+), [^ ]+(?<pid>[^\]]+)\]: (?<message>.*)$/
  format regexp
  time_format %Y-%m-%d %a %H:%M:%S
  </pattern>
  <pattern>
  format none
  </pattern>
  @type multi_format
  </parse>
  @type parser
</filter>

<filter>
  @type generic_metadata
</filter>
<match log.**>
  @type forward
  time_as_integer true
  <server>
    name local
    host fluentd.localdomain
  </server>
</match>
`;
    const control = service("opencontrail-control", fluentdForCService);
    expect(renderFluentdConf([control])).toBe(expected);
    // Services without fluentd take no part in the file.
    const plain = service("other", null);
    expect(renderFluentdConf([plain, control, plain])).toBe(expected);
  });

  it("renders a Python service's four patterns in order", () => {
    const api = service("opencontrail-api", fluentdForPythonService);
    expect(renderFluentdConf([api])).toBe(
      conf(
        [
          [
            "<source>",
            "  format none",
            "  path /tmp/opencontrail-api",
            "  tag log.opencontrail-api",
            "  @type named_pipe",
            "</source>",
          ],
        ],
        [
          [
            "<filter log.opencontrail-api>",
            "  key_name message",
            "  <parse>",
            "  <pattern>",
            `  expression ${PY_EXPR[0]}`,
            "  format regexp",
            "  time_format %Y-%m-%d %H:%M:%S",
            "  </pattern>",
            "  <pattern>",
            `  expression ${PY_EXPR[1]}`,
            "  format regexp",
            "  time_format %m/%d/%Y %I:%M:%S %p",
            "  </pattern>",
            "  <pattern>",
            `  expression ${PY_EXPR[2]}`,
            "  format regexp",
            "  </pattern>",
            "  <pattern>",
            "  format none",
            "  </pattern>",
            "  @type multi_format",
            "  </parse>",
            "  @type parser",
            "</filter>",
          ],
        ],
      ),
    );
  });

  it("testStdoutSourceOutput: a stdout source becomes the named pipe /tmp/<name>", () => {
    expect(renderFluentdConf([withSource("svc", { type: "stdout" })])).toBe(
      conf([
        [
          "<source>",
          "  format none",
          "  path /tmp/svc",
          "  tag log.svc",
          "  @type named_pipe",
          "</source>",
        ],
      ]),
    );
  });

  it("keeps a stdout source's own format, tag and other keys; the pipe path is fixed", () => {
    const source = { type: "stdout", format: "json", tag: "app.svc", path: "/x", keep: 1 };
    expect(renderFluentdConf([withSource("svc", source)])).toBe(
      conf([
        [
          "<source>",
          "  format json",
          "  keep 1",
          "  path /tmp/svc",
          "  tag app.svc",
          "  @type named_pipe",
          "</source>",
        ],
      ]),
    );
  });

  it("testOtherSourceOutput: keys sorted (type as `type`), booleans, default tag", () => {
    const syslog = withSource("svc", {
      type: "syslog",
      protocol_type: "udp",
      message_format: "rfc3164",
      port: 1234,
      with_priority: true,
      include_source_host: false,
    });
    expect(renderFluentdConf([syslog])).toBe(
      conf([
        [
          "<source>",
          "  include_source_host false",
          "  message_format rfc3164",
          "  port 1234",
          "  protocol_type udp",
          "  tag log.svc",
          "  @type syslog",
          "  with_priority true",
          "</source>",
        ],
      ]),
    );
  });

  it("testSourceParseSection: a nested set is a section with the same indent", () => {
    const tail = withSource("svc", { type: "tail", parse: { type: "json", foo: "bar" } });
    expect(renderFluentdConf([tail])).toBe(
      conf([
        [
          "<source>",
          "  <parse>",
          "  foo bar",
          "  @type json",
          "  </parse>",
          "  tag log.svc",
          "  @type tail",
          "</source>",
        ],
      ]),
    );
  });

  it("testFilters: one block per filter, repeated <regexp> sub-sections", () => {
    const foo = withSource("foo", { type: "stdout" }, [
      {
        type: "grep",
        regexp: [
          { key: "message", pattern: "/cool/" },
          { key: "hostname", pattern: "/^web\\d+\\.example\\.com$/" },
        ],
      },
      { type: "parser", key_name: "log", parse: { type: "regexp", expression: "/^(?<x>.*)$/" } },
    ]);
    const source = [
      "<source>",
      "  format none",
      "  path /tmp/foo",
      "  tag log.foo",
      "  @type named_pipe",
      "</source>",
    ];
    expect(renderFluentdConf([foo])).toBe(
      conf(
        [source],
        [
          [
            "<filter log.foo>",
            "  <regexp>",
            "  key message",
            "  pattern /cool/",
            "  </regexp>",
            "  <regexp>",
            "  key hostname",
            "  pattern /^web\\d+\\.example\\.com$/",
            "  </regexp>",
            "  @type grep",
            "</filter>",
          ],
          [
            "<filter log.foo>",
            "  key_name log",
            "  <parse>",
            "  expression /^(?<x>.*)$/",
            "  @type regexp",
            "  </parse>",
            "  @type parser",
            "</filter>",
          ],
        ],
      ),
    );
  });

  it("testFilterTag: the filter's tag opens the block and is not a key", () => {
    const svc = withSource("svc", { type: "forward" }, [
      { type: "grep", tag: "**", regexp: [{ key: "a", pattern: "b" }] },
    ]);
    const out = renderFluentdConf([svc]);
    expect(out).toContain("\n<filter **>\n  <regexp>\n  key a\n  pattern b\n  </regexp>\n");
    expect(out).not.toContain("  tag **");
    expect(out).not.toContain("<filter log.svc>");
  });

  it("puts all sources first, then the filters in service order", () => {
    const a = withSource("a", { type: "stdout" }, [{ type: "grep", n: 1 }]);
    const b = withSource("b", { type: "tcp", tag: "b.t" }, [{ type: "grep", n: 2 }]);
    expect(renderFluentdConf([a, service("none", null), b])).toBe(
      conf(
        [
          [
            "<source>",
            "  format none",
            "  path /tmp/a",
            "  tag log.a",
            "  @type named_pipe",
            "</source>",
          ],
          ["<source>", "  tag b.t", "  @type tcp", "</source>"],
        ],
        [
          ["<filter log.a>", "  n 1", "  @type grep", "</filter>"],
          // The filter's default tag is the service's, not the source's own tag.
          ["<filter log.b>", "  n 2", "  @type grep", "</filter>"],
        ],
      ),
    );
  });
});

describe("participation", () => {
  it("testStdout: a stdout source captures stdout", () => {
    expect(capturesStdout(withSource("svc", { type: "stdout" }))).toBe(true);
  });

  it("testNoStdout: another source type does not", () => {
    const foo = withSource("svc", { type: "foo" });
    expect(capturesStdout(foo)).toBe(false);
    expect(participates(foo)).toBe(true);
  });

  it("a service without fluentd neither participates nor captures", () => {
    const plain = service("svc", null);
    expect(participates(plain)).toBe(false);
    expect(capturesStdout(plain)).toBe(false);
  });

  it("testInsertFluentd: no participating service, so no fluentd.conf", () => {
    expect([service("a", null), service("b", null)].some(participates)).toBe(false);
  });

  it("testInsertFluentd2: one stdout service is enough", () => {
    const services = [service("a", null), withSource("b", { type: "stdout" })];
    expect(services.filter(participates).map((s) => s.name)).toEqual(["b"]);
    expect(services.filter(capturesStdout).map((s) => s.name)).toEqual(["b"]);
  });
});

describe("the stdout capture of a service's command", () => {
  it("keeps single quotes of the command: bash gets back the command exactly", () => {
    const command = `sh -c 'while true; do echo "it's up"; sleep 1; done'`;
    const [wrapped] = withFluentd([
      { ...withSource("web", { type: "stdout" }), command: [command] },
    ]);
    const text = wrapped!.service
      .command!.map((p) => (typeof p === "string" ? p : "/nix/store/x"))
      .join("");
    // The words bash reads from the wrapped command line: rundeux, bash, -c, <script>, ...
    const words = spawnSync("bash", ["-c", `set -- ${text}; printf '%s\\0' "$@"`], {
      encoding: "utf8",
    }).stdout.split("\0");
    expect(words.slice(0, 3)).toEqual(["rundeux", "/nix/store/x/bin/bash", "-c"]);
    expect(words[3]).toBe(`exec 2>&1 ${command}`);
    expect(words.slice(4, 6)).toEqual(["::", "/nix/store/x/bin/tee"]);
  });
});
