/** The product object's state: small typed pointers and summaries; history lives in Postgres. */

export interface ProductState {
  /** How many times the profile was saved through this object. */
  readonly revision: number;
}
