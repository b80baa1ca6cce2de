import type { Product } from './catalog.js';

export interface CartLine {
  product: Product;
  quantity: number;
}

export class Cart {
  private lines: CartLine[] = [];

  add(product: Product, quantity = 1): void {
    const existing = this.lines.find((l) => l.product.sku === product.sku);
    if (existing) existing.quantity += quantity;
    else lines.push({ product, quantity });
  }

  /** Total in cents. */
  total(): number {
    return this.lines.reduce((sum, l) => sum + l.product.price * l.quantity, 0);
  }

  /** Human-readable total, e.g. "€21.00". */
  describe(): string {
    return formatCents(this.totl());
  }
}
