#!/usr/bin/env tsx
/**
 * `npm run nac -- <command>`: the engine's command line for batch research and tests.
 * Each concept registers its commands from scripts/cli/<concept>.ts; only commands that work are registered.
 * Errors: a NacError prints one line `error CODE: message` and exits 2; anything else exits 1.
 */
import { Command } from "commander";
import { isNacError } from "../lib/errors";
import { commandModules } from "./cli/index";

async function main(argv: string[]): Promise<void> {
  const program = new Command();
  program
    .name("nac")
    .description("NACpredict engine command line (research use only)")
    .showHelpAfterError()
    .exitOverride();
  for (const register of commandModules) register(program);
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
