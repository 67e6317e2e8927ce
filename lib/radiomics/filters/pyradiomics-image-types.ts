/**
 * pyradiomics image types (the parameter file's `imageType` block) -> derived images with pyradiomics' names:
 * Original ("original"), LoG ("log-sigma-3-0-mm-3D"), Wavelet ("wavelet-LHL", "wavelet2-HHH", ..., "wavelet-LLL"),
 * Square, SquareRoot, Logarithm, Exponential, Gradient. LBP2D / LBP3D are not supported (explicit error): pyradiomics
 * computes them with scipy/SimpleITK spherical-harmonics code we have no reference for here.
 */
import { z } from "zod";
import { NacError } from "@/lib/errors/nac-error";
import { cropToBlock, type FilterGrid, type SourceGrid, type VoxelBlock } from "./grid";
import { itkLaplacianRecursiveGaussian, logSizeProblem, logWindow } from "./itk-recursive-gaussian";
import { pyradiomicsWavelet } from "./pywt-swt";
import {
  exponentialImage,
  gradientMagnitude,
  logarithmImage,
  squareImage,
  squareRootImage,
} from "./pyradiomics-simple";
import { WAVELET_DEC_LO } from "./wavelet-coefficients";

/** Feature settings an image type may override for its own features (pyradiomics: per-image-type custom settings). */
const FeatureOverridesSchema = z
  .object({
    binWidth: z.number().finite().positive().optional(),
    binCount: z.number().int().min(1).optional(),
    voxelArrayShift: z.number().finite().optional(),
  })
  .strict();

const sigma = z.object({ value: z.number().finite().positive(), name: z.string().regex(/^[0-9.eE+\-]+$/) }).strict();

export const ImageTypeSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("Original"), overrides: FeatureOverridesSchema.default({}) }).strict(),
  z
    .object({ type: z.literal("LoG"), sigma: z.array(sigma).min(1), overrides: FeatureOverridesSchema.default({}) })
    .strict(),
  z
    .object({
      type: z.literal("Wavelet"),
      wavelet: z.string().refine((w) => w in WAVELET_DEC_LO, {
        message: `supported wavelets: ${Object.keys(WAVELET_DEC_LO).join(", ")}`,
      }),
      level: z.number().int().min(1),
      startLevel: z.number().int().min(0),
      overrides: FeatureOverridesSchema.default({}),
    })
    .strict(),
  z.object({ type: z.literal("Square"), overrides: FeatureOverridesSchema.default({}) }).strict(),
  z.object({ type: z.literal("SquareRoot"), overrides: FeatureOverridesSchema.default({}) }).strict(),
  z.object({ type: z.literal("Logarithm"), overrides: FeatureOverridesSchema.default({}) }).strict(),
  z.object({ type: z.literal("Exponential"), overrides: FeatureOverridesSchema.default({}) }).strict(),
  z
    .object({ type: z.literal("Gradient"), useSpacing: z.boolean(), overrides: FeatureOverridesSchema.default({}) })
    .strict(),
]);
export type ImageType = z.output<typeof ImageTypeSchema>;
export type FeatureOverrides = z.output<typeof FeatureOverridesSchema>;

/** Python's str() of a float (pyradiomics names LoG images with str(sigma)): 3.0 -> "3.0", 1e-05 -> "1e-05". */
export function pythonFloatString(x: number): string {
  if (x !== 0 && (Math.abs(x) < 1e-4 || Math.abs(x) >= 1e16)) {
    const [m, e] = x.toExponential().split("e");
    const exp = Number(e);
    return `${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  const s = String(x);
  return Number.isInteger(x) ? `${s}.0` : s;
}

export interface DerivedImage {
  name: string;
  /** The filtered image, or why it could not be computed (pyradiomics logs a warning and skips it). */
  image: FilterGrid | null;
  failure?: string;
}

/**
 * The derived images of one image type, on `box` when given (grids of the box's size: the ROI box is all the features
 * read; LoG and Wavelet then filter only what the box's values depend on), else on the whole grid.
 */
export function derivedImages(g: SourceGrid, t: ImageType, force2D: boolean, box?: VoxelBlock): DerivedImage[] {
  switch (t.type) {
    case "Original":
      return [{ name: "original", image: onBox(floatGrid(g), box) }];
    case "LoG":
      return t.sigma.map((s) => {
        const name = `log-sigma-${s.name.replace(/\./g, "-")}-mm-3D`;
        const problem = logSizeProblem(g, s.value);
        if (problem) return { name, image: null, failure: problem };
        return {
          name,
          image: box
            ? itkLaplacianRecursiveGaussian(g, s.value, box, logWindow(g, box, s.value))
            : itkLaplacianRecursiveGaussian(g, s.value),
        };
      });
    case "Wavelet":
      // force2D (axial, force2Ddimension 0) leaves the slice axis out of the transform.
      return pyradiomicsWavelet(g, t.wavelet, t.level, t.startLevel, force2D ? [0, 1] : [0, 1, 2], box);
    case "Square":
      return [{ name: "square", image: onBox(squareImage(floatGrid(g)), box) }];
    case "SquareRoot":
      return [{ name: "squareroot", image: onBox(squareRootImage(floatGrid(g)), box) }];
    case "Logarithm":
      return [{ name: "logarithm", image: onBox(logarithmImage(floatGrid(g)), box) }];
    case "Exponential":
      return [{ name: "exponential", image: onBox(exponentialImage(floatGrid(g)), box) }];
    case "Gradient":
      return [{ name: "gradient", image: onBox(gradientMagnitude(floatGrid(g), t.useSpacing), box) }];
  }
}

function floatGrid(g: SourceGrid): FilterGrid {
  return g.data instanceof Float64Array ? (g as FilterGrid) : { ...g, data: Float64Array.from(g.data) };
}

function onBox(g: FilterGrid, box: VoxelBlock | undefined): FilterGrid {
  return box ? cropToBlock(g, box) : g;
}

export const UNSUPPORTED_IMAGE_TYPES = new Set(["LBP2D", "LBP3D"]);

export function unsupportedImageType(name: string): never {
  if (UNSUPPORTED_IMAGE_TYPES.has(name)) {
    throw new NacError(
      "SETTINGS_INVALID",
      `image type ${name} is not supported (no reference to match pyradiomics' local binary patterns exactly)`,
    );
  }
  throw new NacError(
    "SETTINGS_INVALID",
    `unknown image type ${name} (Original, LoG, Wavelet, Square, SquareRoot, Logarithm, Exponential, Gradient)`,
  );
}
