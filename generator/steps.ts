// Every change the writer makes to the project's files goes through these steps, each announced
// to a test hook first, so that tests can fail (or kill) a run at any one of them.

import { linkSync, mkdirSync, writeFileSync } from "node:fs";
import { link, rename, rm, writeFile } from "node:fs/promises";
import { relative } from "node:path";

export interface Steps {
  mkdir(path: string): Promise<void>;
  write(path: string, text: string): Promise<void>;
  link(from: string, to: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  remove(path: string): Promise<void>;
  /**
   * Create `path` holding `text`, atomically: the text is written to a file of this process
   * beside it, then linked into place. False when `path` already exists.
   */
  create(path: string, text: string): Promise<boolean>;
}

/** The suffix of the file a process writes before linking it into place as `path`. */
export const creatingSuffix = (pid: number): string => `.${pid}.tmp`;

export function steps(root: string, hook: (step: string) => void = () => {}): Steps {
  const announce = (op: string, ...paths: string[]) =>
    hook(`${op} ${paths.map((p) => relative(root, p)).join(" -> ")}`);
  return {
    // The steps a tree is built with run synchronously: a staging tree is thousands of small
    // files, and one await per file costs more than the file itself.
    mkdir: async (path) => {
      announce("mkdir", path);
      mkdirSync(path);
    },
    write: async (path, text) => {
      announce("write", path);
      writeFileSync(path, text, { flag: "wx" });
    },
    link: async (from, to) => {
      announce("link", from, to);
      linkSync(from, to);
    },
    rename: async (from, to) => {
      announce("rename", from, to);
      await rename(from, to);
    },
    remove: async (path) => {
      announce("remove", path);
      await rm(path, { recursive: true, force: true });
    },
    create: async (path, text) => {
      announce("create", path);
      const temporary = `${path}${creatingSuffix(process.pid)}`;
      await writeFile(temporary, text);
      try {
        await link(temporary, path);
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
        throw error;
      } finally {
        await rm(temporary, { force: true });
      }
    },
  };
}
