#!/usr/bin/env tsx
/**
 * `npm run nac -- <command>`: the engine's command line for batch research and tests.
 * Each concept registers its commands from scripts/cli/<concept>.ts; only commands that work are registered.
 * `npm run nac` starts through scripts/nac.mjs (a cached bundle that loads only the command's module); this file is
 * the plain entry (`npx tsx scripts/nac.ts ...`) with every module.
 * Errors: a NacError prints one line `error CODE: message` and exits 2; anything else exits 1.
 */
import { commandModules } from "./cli/index";
import { runCli } from "./cli/run";

await runCli(process.argv, commandModules);
