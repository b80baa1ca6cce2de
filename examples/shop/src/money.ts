/** Amounts are kept in integer cents to avoid floating-point drift. */
export type Cents = number;

export function toCents(amount: number): Cents {
  return Math.round(amount * 100);
}

export function formatCents(value: Cents, currency = 'EUR'): string {
  return new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(value / 100);
}
