/**
 * The one in-memory image representation shared by every engine (imaging, radiomics, deep) on server, CLI and browser.
 *
 * Layout: voxel (i, j, k) is at data[i + j * nx + k * nx * ny]; i runs along DICOM columns (x), j along rows (y),
 * k along slices. Geometry is in DICOM patient coordinates (LPS, millimetres):
 *   position(i,j,k) = origin + i*spacing[0]*dirI + j*spacing[1]*dirJ + k*spacing[2]*dirK
 * where dirI = direction[0..2], dirJ = direction[3..5], dirK = direction[6..8] (unit vectors, in LPS).
 * `origin` is the centre of voxel (0,0,0).
 */
export type VoxelArray =
  Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;

export type Vec3 = [number, number, number];
export type Direction = [number, number, number, number, number, number, number, number, number];

export interface Geometry {
  dims: Vec3;
  spacing: Vec3;
  origin: Vec3;
  direction: Direction;
}

export interface Volume<T extends VoxelArray = VoxelArray> extends Geometry {
  data: T;
}

/** A label mask on an image grid: 0 = background, >0 = label value. */
export type Mask = Volume<Uint8Array>;

export const IDENTITY_DIRECTION: Direction = [1, 0, 0, 0, 1, 0, 0, 0, 1];

export function voxelCount(g: Pick<Geometry, "dims">): number {
  return g.dims[0] * g.dims[1] * g.dims[2];
}

export function makeVolume<T extends VoxelArray>(data: T, geometry: Partial<Geometry> & { dims: Vec3 }): Volume<T> {
  const v: Volume<T> = {
    data,
    dims: [...geometry.dims] as Vec3,
    spacing: geometry.spacing ? ([...geometry.spacing] as Vec3) : [1, 1, 1],
    origin: geometry.origin ? ([...geometry.origin] as Vec3) : [0, 0, 0],
    direction: geometry.direction ? ([...geometry.direction] as Direction) : [...IDENTITY_DIRECTION],
  };
  if (data.length !== voxelCount(v)) {
    throw new RangeError(`volume data length ${data.length} does not match dims ${v.dims.join("x")}`);
  }
  return v;
}

/** Sum, minimum and maximum of the voxel values (one pass). */
export function voxelSummary(data: ArrayLike<number>): { sum: number; min: number; max: number } {
  let sum = 0,
    min = Infinity,
    max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const x = data[i];
    sum += x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  return { sum, min, max };
}
