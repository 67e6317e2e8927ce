import type { Command } from "commander";
import { register as registerDicom } from "./dicom";

/** Every CLI concept module registers its commands here (one import + one entry per concept). */
export type RegisterCommands = (program: Command) => void;

export const commandModules: RegisterCommands[] = [registerDicom];
