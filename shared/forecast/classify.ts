/**
 * Demand classification after Syntetos & Boylan: the average inter-demand interval (ADI) and the
 * squared coefficient of variation of non-zero demand sizes (CV²) split series into smooth,
 * erratic, intermittent and lumpy; series without any demand are "zero".
 */
export type DemandClass = "smooth" | "erratic" | "intermittent" | "lumpy" | "zero";

export interface DemandProfile {
  readonly demandClass: DemandClass;
  readonly adi: number;
  readonly cv2: number;
  readonly zeroShare: number;
}

const adiCutoff = 1.32;
const cv2Cutoff = 0.49;

export function classifyDemand(values: readonly number[]): DemandProfile {
  const sizes = values.filter((value) => value > 0);
  const zeroShare = values.length === 0 ? 1 : 1 - sizes.length / values.length;
  if (sizes.length === 0) return { demandClass: "zero", adi: values.length, cv2: 0, zeroShare };
  const adi = values.length / sizes.length;
  const mean = sizes.reduce((sum, size) => sum + size, 0) / sizes.length;
  const variance = sizes.reduce((sum, size) => sum + (size - mean) ** 2, 0) / sizes.length;
  const cv2 = variance / (mean * mean);
  const intermittent = adi >= adiCutoff;
  const variable = cv2 >= cv2Cutoff;
  const demandClass: DemandClass = intermittent
    ? variable
      ? "lumpy"
      : "intermittent"
    : variable
      ? "erratic"
      : "smooth";
  return { demandClass, adi, cv2, zeroShare };
}
