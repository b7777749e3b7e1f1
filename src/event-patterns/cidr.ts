// The `cidr` matcher: IPv4 and IPv6 addresses as BigInts, compared under a mask.

import { PatternSyntaxError } from './errors.js';

interface Address { bits: 32 | 128; value: bigint }

function parseIPv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = (value << 8n) | BigInt(part);
  }
  return value;
}

function parseHextets(text: string): bigint[] | undefined {
  if (text === '') return [];
  const groups = text.split(':');
  const out: bigint[] = [];
  for (const [i, group] of groups.entries()) {
    // An IPv4 tail ("::ffff:10.0.0.1") stands for the last two hextets.
    if (i === groups.length - 1 && group.includes('.')) {
      const v4 = parseIPv4(group);
      if (v4 === undefined) return undefined;
      out.push(v4 >> 16n, v4 & 0xffffn);
    } else {
      if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
      out.push(BigInt(`0x${group}`));
    }
  }
  return out;
}

function parseIPv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = parseHextets(halves[0]!);
  const tail = halves.length === 2 ? parseHextets(halves[1]!) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...Array<bigint>(missing).fill(0n), ...tail];
  return all.reduce((acc, hextet) => (acc << 16n) | hextet, 0n);
}

/** An IPv4 or IPv6 address, or undefined when `text` is neither. */
export function parseIpAddress(text: string): Address | undefined {
  const v4 = parseIPv4(text);
  if (v4 !== undefined) return { bits: 32, value: v4 };
  const v6 = text.includes(':') ? parseIPv6(text) : undefined;
  return v6 === undefined ? undefined : { bits: 128, value: v6 };
}

/**
 * Compiles `{"cidr": "10.0.0.0/24"}` into a test over event strings. Reasons are
 * SNS's texts (localstack's AWS-validated snapshots); a network with host bits
 * set is accepted and masked.
 */
export function compileCidr(spec: unknown): (value: string) => boolean {
  if (typeof spec !== 'string') throw new PatternSyntaxError('prefix match pattern must be a string');
  const pieces = spec.split('/');
  if (pieces.length !== 2) throw new PatternSyntaxError("Malformed CIDR, one '/' required");
  const [ip, maskText] = pieces as [string, string];
  if (!/^\d+$/.test(maskText)) throw new PatternSyntaxError('Malformed CIDR, mask bits must be an integer');
  const network = parseIpAddress(ip);
  if (!network) throw new PatternSyntaxError(`Nonstandard IP address: ${ip}`);
  const maskBits = Number(maskText);
  if (maskBits > network.bits) throw new PatternSyntaxError('Malformed CIDR, mask bits must be an integer');
  const shift = BigInt(network.bits - maskBits);
  const prefix = network.value >> shift;
  return (value) => {
    const address = parseIpAddress(value);
    return address !== undefined && address.bits === network.bits && address.value >> shift === prefix;
  };
}
