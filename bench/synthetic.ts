// Synthetic package sets for the generator benchmark: the fixture set of test/ (pins, the base
// image, perp, fluentd, the tools), plus N images built like the set's own multi-service images
// (consul-template files, an environment file, fluentd), each with the Go application it runs,
// and a Debian package for every tenth image.

import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const FIXTURE = fileURLToPath(new URL("../test/fixtures/reference/packages", import.meta.url));
const HASH = "1s1i98xwk8a0krvpwif0s3hgg8n77j58p8836864sf2yjdl13c0d";

const modeline = (schema: string, depth: number) =>
  `# yaml-language-server: $schema=${"../".repeat(depth)}schemas/${schema}.schema.json\n`;

/** The name of the i-th application and image: app0042 / dockerImages.svc0042. */
export const appName = (i: number) => `app${String(i).padStart(6, "0")}`;
export const imageName = (i: number) => `svc${String(i).padStart(6, "0")}`;

function application(i: number): string {
  return `${modeline("application", 2)}kind: application
description: Worker number ${i} of the synthetic set
pname: worker-${i}
version: 1.0.${i % 100}
source:
  github: { owner: example, repo: worker-${i}, rev: v1.0.${i % 100}, sha256: ${HASH} }
build:
  go:
    packagePath: github.com/example/worker-${i}
    ldflags: ["-X main.version=1.0.${i % 100}"]
`;
}

function image(i: number): string {
  const app = appName(i);
  return `${modeline("docker-image", 2)}kind: dockerImage
description: Synthetic image ${i}, a worker and its exporter
imageName: synthetic/${imageName(i)}
services:
  - name: worker
    user: nobody
    command: \${{ apps.${app} }}/bin/worker -config /run/consul-template-wrapper/worker/config.yaml
    environmentFile: /run/consul-template-wrapper/worker/env
    preStart: |
      mkdir -p /var/lib/worker
    configFiles:
      - destination: /run/consul-template-wrapper/worker/config.yaml
        template: |
          listen: 127.0.0.1:${8000 + (i % 1000)}
          name: {{ keyOrDefault "/config/${imageName(i)}/name" "worker-${i}" }}
          {{- with secret "secret/${imageName(i)}" }}
          token: {{ .Data.token }}
          {{- end }}
      - destination: /run/consul-template-wrapper/worker/env
        template: |
          WORKER_ID=${i}
          WORKER_REGION={{ keyOrDefault "/config/region" "fr1" }}
    fluentd:
      source:
        type: stdout
        format: '/^(?<time>[^ ]+) \\[(?<level>[^\\]]+)\\] (?<message>.*)$/'
  - name: exporter
    command: \${{ pkgs.curl }}/bin/curl -s http://127.0.0.1:${8000 + (i % 1000)}/metrics
    after: [worker]
`;
}

function debianPackage(i: number): string {
  return `${modeline("debian-package", 2)}kind: debianPackage
description: The worker ${i} for hosts without Nix
packageName: worker-${i}
version: 1.0.${i % 100}
repository: contrail
contents:
  - \${{ apps.${appName(i)} }}
`;
}

/** Writes a package set of `images` images (and what they use) into `root`/packages. */
export function writeSyntheticSet(root: string, images: number): void {
  const packages = join(root, "packages");
  cpSync(FIXTURE, packages, { recursive: true });
  for (const dir of ["apps", "dockerImages", "debianPackages"]) {
    mkdirSync(join(packages, dir), { recursive: true });
  }
  for (let i = 0; i < images; i++) {
    writeFileSync(join(packages, "apps", `${appName(i)}.yaml`), application(i));
    writeFileSync(join(packages, "dockerImages", `${imageName(i)}.yaml`), image(i));
    if (i % 10 === 0) {
      writeFileSync(join(packages, "debianPackages", `worker${i}.yaml`), debianPackage(i));
    }
  }
}

/** The descriptor the "one edit" run changes, and the change. */
export function editOne(root: string, images: number, round: number): string {
  const i = Math.floor(images / 2);
  const path = join(root, "packages", "apps", `${appName(i)}.yaml`);
  writeFileSync(path, application(i).replace(/version: .*/, `version: 2.${round}.0`));
  return path;
}
