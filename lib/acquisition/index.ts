export { acquisitionParameters, tmSeconds, type AcquisitionParameters, type AcquisitionRole } from "./parameters";
export {
  acquisitionDistributionSchema,
  checkAcquisition,
  RANGE_MARGIN,
  summariseAcquisition,
  type AcquisitionDistribution,
  type AcquisitionWarning,
  type RoleDistribution,
} from "./distribution";
