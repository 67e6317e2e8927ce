export {
  scoreOf,
  type CalibrationMapJson,
  type CalibrationMethod,
  type IsotonicMapJson,
  type PlattMapJson,
  type ProbabilityCalibrator,
} from "./calibrator";
export { IsotonicCalibrator } from "./isotonic";
export { PlattCalibrator } from "./platt";
export {
  CALIBRATION_METHODS,
  calibratorFromJson,
  chooseCalibrator,
  makeCalibrator,
  type CalibratorChoice,
} from "./select-calibrator";
