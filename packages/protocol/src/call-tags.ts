/** Who and what a call is for. Recorded in the ledger, logs and traces. */
export interface CallTags {
  /** The product feature making the call, e.g. `support-chat`. */
  feature?: string;
  /** An opaque id of the end user (never an email or a name). */
  user?: string;
  /** The conversation or session id. */
  session?: string;
  /** The id of the prompt template used. */
  promptId?: string;
  /** The version of that prompt template. */
  promptVersion?: string;
}
