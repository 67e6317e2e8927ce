import * as dcmjsNs from "dcmjs";

/** dcmjs is published as CJS + ESM; under some loaders its exports sit on `default`. */
export const dcmjs: typeof dcmjsNs = (dcmjsNs as unknown as { default?: typeof dcmjsNs }).default ?? dcmjsNs;
