import { toCents, type Cents } from './money.js';

export interface Product {
  sku: string;
  name: string;
  price: Cents;
}

export const catalog: Product[] = [
  { sku: 'TEA-01', name: 'Green tea', price: toCents(4.5) },
  { sku: 'MUG-02', name: 'Stoneware mug', price: toCents(12) },
];

export function findProduct(sku: string): Product | undefined {
  return catalog.find((p) => p.sku === sku);
}
