/**
 * Purchase-advice maths (pure): demand distributions, order-up-to advice with EOQ, ABC/XYZ classes.
 */
export { purchaseAdvice, type AdviceDemand } from "./advice.ts";
export { classifyAbcXyz, xyzClass } from "./classify.ts";
export {
  demandFromQuantiles,
  normalDemand,
  normalDemandOver,
  probabilityAtMost,
  type DemandDistribution,
  type QuantilePoint,
} from "./demand.ts";
export { InventoryError } from "./errors.ts";
export { normalQuantile } from "./normal.ts";
export {
  AbcClass,
  AdviceParameters,
  AdviceReason,
  ClassificationItem,
  ClassificationThresholds,
  ProductClass,
  PurchaseAdvice,
  XyzClass,
  type AdviceParametersInput,
  type ClassificationThresholdsInput,
} from "./schema.ts";
