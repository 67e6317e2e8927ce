/**
 * The demo bundle's training acquisition distribution: the generator writes every patient with the
 * same protocol, so one generated patient's DICOM headers stand for all of them.
 */
import { acquisitionParameters, summariseAcquisition, type AcquisitionDistribution } from "../../acquisition";
import { parseDicom } from "../../imaging/dicom/parse";
import { GENERATOR_NAME, GENERATOR_VERSION } from "../../synth/cohort";
import { generatePatient } from "../../synth/generate-patient";

export function syntheticAcquisition(seed: string, patients: number): AcquisitionDistribution {
  const g = generatePatient(seed, 0, { nifti: false });
  const one = g.series.map((s) => acquisitionParameters(parseDicom(s.files[0]), s.role));
  return summariseAcquisition(
    Array.from({ length: patients }, () => one).flat(),
    `synthetic cohort (${GENERATOR_NAME} version ${GENERATOR_VERSION}, seed "${seed}", ${patients} patients, one acquisition protocol per series role)`,
  );
}
