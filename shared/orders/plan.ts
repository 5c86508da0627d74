/**
 * Planning purchase orders (pure): each wanted quantity is rounded up to the product's minimum
 * order and a whole number of packs, an optional budget keeps the lines with the most money at
 * stake, and the kept lines are grouped into one order per supplier and currency — the product's
 * supplier, else the source of its best price.
 */
import { formatFixed4, multiplyFixed4, parseFixed4, type Fixed4 } from "../money/index.ts";
import { OrderRuleError } from "./errors.ts";

export interface Price {
  readonly amount: string;
  readonly currency: string;
}

/** One product someone wants to buy, with what is known about ordering it. */
export interface Candidate {
  readonly productId: string;
  readonly sku: string;
  readonly quantity: number;
  readonly unitPrice: Price | null;
  /** The web source of the unit price (its label); null for the catalogue unit cost. */
  readonly priceSource: string | null;
  readonly supplier: string | null;
  readonly currency: string;
  readonly minimumOrderQuantity: number | null;
  readonly packSize: number | null;
  /** What is lost by not buying (decimal, in the price currency); defaults to the line's cost. */
  readonly moneyAtStake: string | null;
}

export interface PlannedLine {
  readonly productId: string;
  readonly sku: string;
  readonly quantity: number;
  readonly unitPrice: string | null;
  readonly priceSource: string | null;
  /** quantity × unit price, exactly; null when the price is unknown. */
  readonly lineTotal: string | null;
}

export interface PlannedOrder {
  readonly supplier: string;
  readonly currency: string;
  readonly lines: readonly PlannedLine[];
  /** Sum of the priced lines. */
  readonly total: string;
  readonly unpricedLines: number;
}

export interface DroppedLine {
  readonly productId: string;
  readonly sku: string;
  readonly quantity: number;
  readonly reason: string;
}

export interface OrderPlan {
  readonly orders: readonly PlannedOrder[];
  readonly dropped: readonly DroppedLine[];
}

/** Orders for products with neither a supplier nor a priced source go to this supplier. */
export const unassignedSupplier = "unassigned";

/** At least the minimum order, then up to a whole number of packs; 0 stays 0. */
export function orderableQuantity(quantity: number, minimum: number | null, packSize: number | null): number {
  if (!Number.isSafeInteger(quantity) || quantity < 0)
    throw new OrderRuleError(`quantity ${quantity} is not a whole number >= 0`);
  if (quantity === 0) return 0;
  const raised = Math.max(quantity, minimum ?? 0);
  const pack = packSize !== null && packSize > 1 ? packSize : 1;
  return Math.ceil(raised / pack) * pack;
}

function amount(text: string, what: string): Fixed4 {
  const value = parseFixed4(text);
  if (value === undefined) throw new OrderRuleError(`${what} "${text}" is not a decimal amount`);
  return value;
}

interface CostedLine {
  readonly candidate: Candidate;
  readonly line: PlannedLine;
  readonly currency: string;
  readonly cost: Fixed4 | null;
  readonly stake: Fixed4;
}

function costed(candidate: Candidate): CostedLine {
  const quantity = orderableQuantity(candidate.quantity, candidate.minimumOrderQuantity, candidate.packSize);
  const price = candidate.unitPrice;
  const cost =
    price === null ? null : multiplyFixed4(amount(price.amount, `unit price of ${candidate.sku}`), quantity);
  const stake =
    candidate.moneyAtStake !== null
      ? amount(candidate.moneyAtStake, `money at stake of ${candidate.sku}`)
      : (cost ?? 0n);
  return {
    candidate,
    currency: price?.currency ?? candidate.currency,
    cost,
    stake,
    line: {
      productId: candidate.productId,
      sku: candidate.sku,
      quantity,
      unitPrice: price === null ? null : formatFixed4(amount(price.amount, `unit price of ${candidate.sku}`)),
      priceSource: candidate.priceSource,
      lineTotal: cost === null ? null : formatFixed4(cost),
    },
  };
}

function dropped(line: CostedLine, reason: string): DroppedLine {
  return { productId: line.line.productId, sku: line.line.sku, quantity: line.line.quantity, reason };
}

/**
 * Keeps the lines with the most money at stake (ties: the cheaper line first) while their cost fits
 * in what is left of the budget; a line that does not fit is dropped and smaller ones may still fit.
 */
function withinBudget(
  lines: readonly CostedLine[],
  budget: Price,
): { kept: CostedLine[]; dropped: DroppedLine[] } {
  let left = amount(budget.amount, "budget");
  const kept: CostedLine[] = [];
  const out: DroppedLine[] = [];
  const ranked = [...lines].sort((a, b) =>
    a.stake !== b.stake ? (b.stake > a.stake ? 1 : -1) : (a.cost ?? 0n) < (b.cost ?? 0n) ? -1 : 1,
  );
  for (const line of ranked) {
    if (line.cost === null) out.push(dropped(line, "no price known: it cannot be held to the budget"));
    else if (line.currency !== budget.currency)
      out.push(dropped(line, `priced in ${line.currency}, the budget is in ${budget.currency}`));
    else if (line.cost > left)
      out.push(
        dropped(
          line,
          `costs ${formatFixed4(line.cost)} ${line.currency}, ${formatFixed4(left)} of the budget left`,
        ),
      );
    else {
      left -= line.cost;
      kept.push(line);
    }
  }
  return { kept, dropped: out };
}

function supplierOf(candidate: Candidate): string {
  return candidate.supplier ?? candidate.priceSource ?? unassignedSupplier;
}

/** The purchase orders for these candidates (one per supplier and currency, in first-seen order). */
export function planOrders(candidates: readonly Candidate[], budget?: Price): OrderPlan {
  const seen = new Set<string>();
  for (const candidate of candidates) {
    if (seen.has(candidate.productId))
      throw new OrderRuleError(`product "${candidate.sku}" is listed twice: give one line per product`);
    seen.add(candidate.productId);
  }
  const all = candidates.map(costed);
  const zero = all.filter((line) => line.line.quantity === 0).map((line) => dropped(line, "quantity 0"));
  const wanted = all.filter((line) => line.line.quantity > 0);
  const chosen = budget === undefined ? { kept: wanted, dropped: [] } : withinBudget(wanted, budget);
  const keptIds = new Set(chosen.kept.map((line) => line.line.productId));
  const groups = new Map<string, { supplier: string; currency: string; lines: CostedLine[] }>();
  for (const line of wanted.filter((item) => keptIds.has(item.line.productId))) {
    const supplier = supplierOf(line.candidate);
    const key = `${supplier}\u0000${line.currency}`;
    const group = groups.get(key) ?? { supplier, currency: line.currency, lines: [] };
    group.lines.push(line);
    groups.set(key, group);
  }
  const orders = [...groups.values()].map((group) => ({
    supplier: group.supplier,
    currency: group.currency,
    lines: group.lines.map((line) => line.line),
    total: formatFixed4(group.lines.reduce((sum, line) => sum + (line.cost ?? 0n), 0n)),
    unpricedLines: group.lines.filter((line) => line.cost === null).length,
  }));
  return { orders, dropped: [...zero, ...chosen.dropped] };
}
