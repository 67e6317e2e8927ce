import { Command } from "commander";
import { vi } from "vitest";
import type { RegisterCommands } from "../index";

/** Runs CLI commands in-process (for tests) with the given command modules; returns what they printed to stdout. */
export async function runCli(modules: RegisterCommands[], args: string[]): Promise<string> {
  const program = new Command().exitOverride();
  for (const register of modules) register(program);
  let out = "";
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(["node", "nac", ...args]);
  } finally {
    spy.mockRestore();
  }
  return out;
}
