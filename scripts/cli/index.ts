import type { Command } from "commander";

/** Every CLI concept module registers its commands here (one import + one entry per concept). */
export type RegisterCommands = (program: Command) => void;

export const commandModules: RegisterCommands[] = [];
