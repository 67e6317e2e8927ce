import type { Command } from "commander";
import { register as registerDb } from "./db";
import { register as registerImport } from "./import";
import { register as registerDicom } from "./dicom";
import { register as registerMask } from "./mask";
import { register as registerModels } from "./models";
import { register as registerDeep } from "./deep";
import { register as registerVolume } from "./volume";
import { register as registerRoi } from "./roi";
import { register as registerXgb } from "./xgb";
import { register as registerProtocol } from "./protocol";
import { register as registerDemo } from "./demo";
import { register as registerDemoTrain } from "./demo-train";
import { register as registerRadiomics } from "./radiomics";
import { register as registerCohort } from "./cohort";
import { register as registerExtract } from "./extract";
import { register as registerExperiment, registerModelCommands } from "./experiment";
import { register as registerStorage } from "./storage";
import { register as registerPrediction } from "./prediction";

/** Every CLI concept module registers its commands here (one import + one entry per concept). */
export type RegisterCommands = (program: Command) => void;

export const commandModules: RegisterCommands[] = [
  registerDb,
  registerImport,
  registerDicom,
  registerMask,
  registerModels,
  registerDeep,
  registerVolume,
  registerRoi,
  registerXgb,
  registerDemo,
  registerDemoTrain,
  registerProtocol,
  registerRadiomics,
  registerCohort,
  registerExtract,
  registerExperiment,
  registerModelCommands,
  registerStorage,
  registerPrediction,
];
