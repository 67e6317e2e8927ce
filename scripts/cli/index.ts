import type { Command } from "commander";
import { register as registerDb } from "./db";
import { register as registerDicom } from "./dicom";
import { register as registerModels } from "./models";
import { register as registerDeep } from "./deep";
import { register as registerVolume } from "./volume";
import { register as registerRoi } from "./roi";
import { register as registerXgb } from "./xgb";

/** Every CLI concept module registers its commands here (one import + one entry per concept). */
export type RegisterCommands = (program: Command) => void;

export const commandModules: RegisterCommands[] = [registerDb, registerDicom, registerModels, registerDeep, registerVolume, registerRoi, registerXgb];
