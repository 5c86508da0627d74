/**
 * Small dense linear algebra for penalised least squares: normal equations solved by Cholesky.
 */

/** Lower Cholesky factor of A + diag(ridge) for symmetric positive semi-definite A (row-major, p×p). */
export function choleskyFactor(gram: Float64Array, ridge: Float64Array): Float64Array {
  const p = ridge.length;
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
  return lower;
}

/** Solves L Lᵀ x = b for a lower Cholesky factor L. */
export function choleskySolve(lower: Float64Array, rhs: Float64Array): Float64Array {
  const p = rhs.length;
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

/** Diagonal of (L Lᵀ)⁻¹, from the columns of L⁻¹. */
export function inverseDiagonal(lower: Float64Array, p: number): Float64Array {
  const diagonal = new Float64Array(p);
  const column = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    column.fill(0);
    column[j] = 1 / lower[j * p + j]!;
    diagonal[j]! += column[j]! ** 2;
    for (let i = j + 1; i < p; i++) {
      let sum = 0;
      for (let k = j; k < i; k++) sum -= lower[i * p + k]! * column[k]!;
      column[i] = sum / lower[i * p + i]!;
      diagonal[j]! += column[i]! ** 2;
    }
  }
  return diagonal;
}

/** Solves (A + diag(ridge)) x = b for symmetric positive semi-definite A (row-major, p×p). */
export const solveRidge = (gram: Float64Array, rhs: Float64Array, ridge: Float64Array): Float64Array =>
  choleskySolve(choleskyFactor(gram, ridge), rhs);

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
