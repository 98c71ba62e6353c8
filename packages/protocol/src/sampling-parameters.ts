/** The sampling fields of a Messages request. The API's types dropped them with 2026-10-21. */
export interface SamplingParameters {
  /** `temperature`, 0 to 1 (API default 1). Only sent where the version and model accept it. */
  temperature?: number;
  /** `top_p` (nucleus sampling; no default). Only sent where the version and model accept it. */
  top_p?: number;
  /** `top_k` (no default). Only sent where the version and model accept it. */
  top_k?: number;
}
