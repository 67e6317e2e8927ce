/**
 * The CLI runner shared by `tsx scripts/nac.ts` (every command module) and the cached bundle scripts/nac.mjs runs
 * (only the module a call needs). Errors: a NacError prints one line `error CODE: message` and exits 2; anything
 * else exits 1.
 */
import { Command } from "commander";
import { isNacError } from "../../lib/errors";
import type { RegisterCommands } from "./index";

export function newProgram(modules: RegisterCommands[]): Command {
  const program = new Command();
  program
    .name("nac")
    .description("NACpredict engine command line (research use only)")
    .showHelpAfterError()
    .exitOverride();
  for (const register of modules) register(program);
  return program;
}

export async function runCli(argv: string[], modules: RegisterCommands[]): Promise<void> {
  try {
    await newProgram(modules).parseAsync(argv);
  } catch (e) {
    exitWithError(e);
  }
}

function exitWithError(e: unknown): never {
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
}
