/**
 * Small dense linear algebra for penalised least squares: normal equations solved by Cholesky.
 */

/** Solves (A + diag(ridge)) x = b for symmetric positive semi-definite A (row-major, p×p). */
export function solveRidge(gram: Float64Array, rhs: Float64Array, ridge: Float64Array): Float64Array {
  const p = rhs.length;
  const lower = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = gram[i * p + j]! + (i === j ? ridge[i]! : 0);
      for (let k = 0; k < j; k++) sum -= lower[i * p + k]! * lower[j * p + k]!;
      if (i === j) {
        lower[i * p + i] = Math.sqrt(Math.max(sum, 1e-12));
      } else {
        lower[i * p + j] = sum / lower[j * p + j]!;
      }
    }
  }
  const forward = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let sum = rhs[i]!;
    for (let k = 0; k < i; k++) sum -= lower[i * p + k]! * forward[k]!;
    forward[i] = sum / lower[i * p + i]!;
  }
  const solution = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let sum = forward[i]!;
    for (let k = i + 1; k < p; k++) sum -= lower[k * p + i]! * solution[k]!;
    solution[i] = sum / lower[i * p + i]!;
  }
  return solution;
}

/** XᵀX and Xᵀy for a row-major design matrix with n rows and p columns. */
export function normalEquations(
  design: Float64Array,
  target: ArrayLike<number>,
  p: number,
): { gram: Float64Array; rhs: Float64Array } {
  const n = target.length;
  const gram = new Float64Array(p * p);
  const rhs = new Float64Array(p);
  for (let r = 0; r < n; r++) {
    const offset = r * p;
    const y = target[r]!;
    for (let i = 0; i < p; i++) {
      const xi = design[offset + i]!;
      if (xi === 0) continue;
      rhs[i]! += xi * y;
      for (let j = 0; j <= i; j++) gram[i * p + j]! += xi * design[offset + j]!;
    }
  }
  for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) gram[j * p + i] = gram[i * p + j]!;
  return { gram, rhs };
}
