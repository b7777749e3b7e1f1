/**
 * The sum of the character codes of an item's stored JSON, kept beside the
 * item on tables with a stream (ddb_items.chars) so that stream capture can
 * tell that a rewrite of the same size changed the item without parsing it.
 *
 * Equal items have equal sums: values are stored canonical (numbers
 * normalized, set members sorted, binaries in canonical base64: see
 * validate.ts), so the JSON texts of two equal items differ only in the order
 * of attributes and map entries, which keeps their characters. Different
 * sums are therefore different items; equal sums decide nothing (the capture
 * trigger then compares the items).
 */
export function itemTextChecksum(text: string): number {
  let sum = 0;
  for (let i = 0; i < text.length; i++) sum += text.charCodeAt(i);
  return sum;
}
