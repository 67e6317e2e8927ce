/** Engine identity stamped on every result; bump the version whenever a feature value can change. */
export const ENGINE_NAME = "nacpredict-radiomics";
export const ENGINE_VERSION = "0.1.0";
