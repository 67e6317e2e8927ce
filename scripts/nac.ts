#!/usr/bin/env tsx
/**
 * `npm run nac -- <command>`: the engine's command line for batch research and tests.
 * Each concept registers its commands from scripts/cli/<concept>.ts; only commands that work are registered.
 * Errors: a NacError prints one line `error CODE: message` and exits 2; anything else exits 1.
 */
import { Command } from "commander";
import { isNacError } from "../lib/errors";
import type { RegisterCommands } from "./cli/index";

// Commands that load only their own module: importing every concept's CLI module costs ~120 MB of memory and seconds
// of start-up under tsx, which was the largest part of a `protocol run`'s peak memory (docs/BENCHMARKS.md, ml).
// Every other command loads the whole registry. (Can go once the CLI loads its modules lazily in general.)
const SINGLE_MODULE_COMMANDS: Record<string, () => Promise<{ register: RegisterCommands }>> = {
  protocol: () => import("./cli/protocol"),
};

async function main(argv: string[]): Promise<void> {
  const program = new Command();
  program
    .name("nac")
    .description("NACpredict engine command line (research use only)")
    .showHelpAfterError()
    .exitOverride();
  const only = Object.hasOwn(SINGLE_MODULE_COMMANDS, argv[2]) ? SINGLE_MODULE_COMMANDS[argv[2]] : undefined;
  const modules = only ? [(await only()).register] : (await import("./cli/index")).commandModules;
  for (const register of modules) register(program);
  await program.parseAsync(argv);
}

main(process.argv).catch((e: unknown) => {
  if (e && typeof e === "object" && "code" in e && typeof (e as { code: unknown }).code === "string") {
    const code = (e as { code: string }).code;
    // commander's own exits (help, version, usage errors) have already printed what they need to.
    if (code === "commander.helpDisplayed" || code === "commander.version") process.exit(0);
    if (code.startsWith("commander.")) process.exit(2);
  }
  if (isNacError(e)) {
    process.stderr.write(`error ${e.code}: ${e.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`error INTERNAL: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
