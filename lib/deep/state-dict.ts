/** A PyTorch state_dict as plain data: parameter name -> float32 tensor (shape + C-order values). */
export interface TensorF32 {
  shape: number[];
  data: Float32Array;
}

export type StateDict = Map<string, TensorF32>;
