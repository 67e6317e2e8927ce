/**
 * Plans (scenes, grids, checks) and renders all three series of one patient (pixels and masks, no file encoding).
 */
import { NacError } from "../errors/nac-error";
import type { PatientModel } from "./patient-model";
import { makePatientFields, renderSeries, type GridSpec, type RenderedSeries, type SeriesRole } from "./render";
import { buildScene, type Scene } from "./scene";
import { seriesGrid } from "./series-grids";
import { TumourRadiusTable } from "./tumour-shape";
import { IMAGE_ROLE_LABELS } from "../imaging/series/roles";

export const SERIES_ROLES: readonly SeriesRole[] = IMAGE_ROLE_LABELS;

export interface PatientPlan {
  radius: TumourRadiusTable;
  scenes: { prone: Scene; supine: Scene };
  grids: Record<SeriesRole, GridSpec>;
}

/** Geometry only: where everything is and which grids are imaged. Throws if the tumour would leave a field of view. */
export function planPatient(m: PatientModel): PatientPlan {
  const radius = new TumourRadiusTable(m.shape);
  const along = (ux: number, uy: number, uz: number) => radius.radius(ux, uy, uz, 1);
  const scenes = { prone: buildScene(m, "prone", along), supine: buildScene(m, "supine", along) };
  const grids = {} as Record<SeriesRole, GridSpec>;
  for (const role of SERIES_ROLES) {
    const scene = role === "CT" ? scenes.supine : scenes.prone;
    const grid = seriesGrid(role, scene, m.anatomy.side);
    // The whole tumour must be inside the field of view, or its mask would be truncated.
    for (let a = 0; a < 3; a++) {
      const lo = grid.origin[a];
      const hi = grid.origin[a] + (grid.dims[a] - 1) * grid.spacing[a];
      const c = scene.tumourCentre[a];
      if (c - radius.maxRadius < lo || c + radius.maxRadius > hi) {
        throw new NacError(
          "INTERNAL",
          `synthetic tumour of patient ${m.index} leaves the ${role} field of view (axis ${a})`,
        );
      }
    }
    grids[role] = grid;
  }
  return { radius, scenes, grids };
}

export interface RenderedPatient {
  scenes: { prone: Scene; supine: Scene };
  series: Record<SeriesRole, RenderedSeries>;
}

export function renderPatient(m: PatientModel): RenderedPatient {
  const plan = planPatient(m);
  const fields = makePatientFields(m, plan.radius.maxRadius);
  const out = {} as Record<SeriesRole, RenderedSeries>;
  for (const role of SERIES_ROLES) {
    const scene = role === "CT" ? plan.scenes.supine : plan.scenes.prone;
    out[role] = renderSeries({ model: m, scene, radius: plan.radius, role, grid: plan.grids[role], fields });
    if (out[role].tumourVoxels === 0)
      throw new NacError("MASK_EMPTY", `synthetic tumour of patient ${m.index} has no voxel on the ${role} grid`);
  }
  return { scenes: plan.scenes, series: out };
}
