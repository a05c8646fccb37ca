// Runs in every test file: the temporary folders its tests made are removed when it is done.

import { afterAll } from "vitest";
import { removeTempDirs } from "./temp.ts";

afterAll(removeTempDirs);
