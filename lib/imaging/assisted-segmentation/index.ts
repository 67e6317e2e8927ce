export {
  growTumourMask,
  growTumourMaskInputBox,
  type GrowTumourMaskOptions,
  type GrowTumourMaskResult,
  type LesionPolarity,
  type TumourSeeds,
} from "./grow-tumour-mask";
