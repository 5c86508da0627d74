/**
 * ABC/XYZ classification across products. ABC ranks by yearly value: a product is A while the value
 * share of the products ranked above it is below 80%, B below 95%, else C (so the product crossing a
 * boundary joins the higher class; with no value at all every product is C). XYZ bins the demand CV:
 * X up to 0.5, Y up to 1.0, Z above (or no demand).
 */
import { Schema } from "effect";
import { decodeOrThrow } from "./decode.ts";
import { InventoryError } from "./errors.ts";
import {
  ClassificationItem,
  ClassificationThresholds,
  type ClassificationThresholdsInput,
  type ProductClass,
} from "./schema.ts";

/** XYZ class of a demand coefficient of variation (no demand: Z). */
export function xyzClass(
  cv: number | null,
  thresholds: { readonly x: number; readonly y: number } = { x: 0.5, y: 1 },
): "X" | "Y" | "Z" {
  return cv === null ? "Z" : cv <= thresholds.x ? "X" : cv <= thresholds.y ? "Y" : "Z";
}

/** Classes in order of decreasing value (ties by product id). */
export function classifyAbcXyz(
  items: readonly (typeof ClassificationItem.Encoded)[],
  thresholdsInput: ClassificationThresholdsInput = {},
): ProductClass[] {
  const decoded = decodeOrThrow(Schema.Array(ClassificationItem), items, "items");
  const thresholds = decodeOrThrow(ClassificationThresholds, thresholdsInput, "thresholds");
  if (thresholds.a > thresholds.b) throw new InventoryError("thresholds.a", "must not exceed thresholds.b");
  if (thresholds.x > thresholds.y) throw new InventoryError("thresholds.x", "must not exceed thresholds.y");
  const seen = new Set<string>();
  decoded.forEach((item, index) => {
    if (seen.has(item.productId)) {
      throw new InventoryError(`items[${index}].productId`, `"${item.productId}" appears more than once`);
    }
    seen.add(item.productId);
  });

  const total = decoded.reduce((sum, item) => sum + item.annualValue, 0);
  const ranked = [...decoded].sort(
    (left, right) => right.annualValue - left.annualValue || left.productId.localeCompare(right.productId),
  );
  let before = 0;
  return ranked.map((item) => {
    const valueShare = total > 0 ? item.annualValue / total : 0;
    const abc = total === 0 ? "C" : before < thresholds.a ? "A" : before < thresholds.b ? "B" : "C";
    before += valueShare;
    const xyz = xyzClass(item.demandCv, thresholds);
    return { productId: item.productId, abc, xyz, valueShare, cumulativeShare: Math.min(1, before) };
  });
}
