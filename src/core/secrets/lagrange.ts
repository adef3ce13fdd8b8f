/** Lagrange coefficients at 0 over identifier scalars (the x-coordinates of the shares). */
import { CairnError } from '../errors.ts';
import { Fn } from './group.ts';

/** λ_i = Π_{j≠i} x_j / (x_j − x_i) mod n, for x_i in `xs`. */
export function lagrangeAtZero(xs: readonly bigint[], xi: bigint): bigint {
  let num = 1n;
  let den = 1n;
  for (const xj of xs) {
    if (xj === xi) continue;
    num = Fn.mul(num, xj);
    den = Fn.mul(den, Fn.sub(xj, xi));
  }
  if (den === 0n) throw new CairnError('BAD_PARAMETERS', 'Duplicate identifiers in the combining set');
  return Fn.div(num, den);
}
