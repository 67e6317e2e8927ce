/**
 * IBSI 2 convolutional filters by specification: one zod-checked object per filtered image, so a filter is stored and
 * hashed with the settings like everything else. `applyIbsiFilter(grid, spec)` returns the response map.
 */
import { z } from "zod";
import { BOUNDARIES, type FilterGrid } from "./grid";
import { meanFilter } from "./mean";
import { laplacianOfGaussian } from "./log";
import { lawsFilter } from "./laws";
import { gaborFilter } from "./gabor";
import { separableWavelet } from "./separable-wavelet";
import { simoncelliFilter } from "./simoncelli";
import { rieszLog } from "./riesz";

const common = {
  boundary: z.enum(BOUNDARIES).default("mirror"),
  dimensionality: z.enum(["2D", "3D"]).default("3D"),
};
const pooling = z.enum(["average", "max", "min"]);
const positive = z.number().finite().positive();

export const IbsiFilterSchema = z.discriminatedUnion("filter", [
  z.object({ filter: z.literal("mean"), support: z.number().int().min(1), ...common }).strict(),
  z.object({ filter: z.literal("log"), sigmaMm: positive, truncate: positive.default(4), ...common }).strict(),
  z
    .object({
      filter: z.literal("laws"),
      kernel: z.string(),
      rotationInvariant: z.boolean().default(false),
      pooling: pooling.default("max"),
      energyDelta: z.number().int().min(0).nullable().default(null),
      ...common,
    })
    .strict(),
  z
    .object({
      filter: z.literal("gabor"),
      sigmaMm: positive,
      lambdaMm: positive,
      gamma: positive,
      theta: z.number().finite().nullable().default(null),
      deltaTheta: positive.nullable().default(null),
      pooling: pooling.default("average"),
      orthogonalPlanes: z.boolean().default(false),
      boundary: z.enum(BOUNDARIES).default("mirror"),
    })
    .strict(),
  z
    .object({
      filter: z.literal("wavelet"),
      wavelet: z.string(),
      subband: z.string(),
      level: z.number().int().min(1).default(1),
      rotationInvariant: z.boolean().default(false),
      pooling: pooling.default("average"),
      ...common,
    })
    .strict(),
  z.object({ filter: z.literal("simoncelli"), level: z.number().int().min(1), ...common }).strict(),
  z
    .object({
      filter: z.literal("riesz_log"),
      sigmaMm: positive,
      truncate: positive.default(4),
      order: z.array(z.number().int().min(0)).min(2).max(3),
      ...common,
    })
    .strict(),
  z
    .object({
      filter: z.literal("riesz_simoncelli"),
      level: z.number().int().min(1),
      order: z.array(z.number().int().min(0)).min(2).max(3),
      ...common,
    })
    .strict(),
]);
export type IbsiFilterSpec = z.output<typeof IbsiFilterSchema>;
export type IbsiFilterInput = z.input<typeof IbsiFilterSchema>;

export function applyIbsiFilter(g: FilterGrid, input: IbsiFilterInput): FilterGrid {
  const s = IbsiFilterSchema.parse(input);
  switch (s.filter) {
    case "mean":
      return meanFilter(g, s.support, s.boundary, s.dimensionality);
    case "log":
      return laplacianOfGaussian(g, s.sigmaMm, s.truncate, s.boundary, s.dimensionality);
    case "laws":
      return lawsFilter(g, s, s.boundary, s.dimensionality);
    case "gabor":
      return gaborFilter(g, s, s.boundary);
    case "wavelet":
      return separableWavelet(g, s, s.boundary, s.dimensionality);
    case "simoncelli":
      return simoncelliFilter(g, { level: s.level, rieszOrder: null }, s.boundary, s.dimensionality);
    case "riesz_log":
      return rieszLog(g, s.sigmaMm, s.truncate, s.order, s.boundary, s.dimensionality);
    case "riesz_simoncelli":
      return simoncelliFilter(g, { level: s.level, rieszOrder: s.order }, s.boundary, s.dimensionality);
  }
}
