// SHA-256 hashes as descriptors may write them: Nix base-32 (what nix-prefetch-url prints),
// hexadecimal, or SRI (`sha256-<base64>`, what current nixpkgs and `nix hash` write). The
// generated tree always uses base-32: nixpkgs 18.03's fetchers take `sha256` in base-32 or hex,
// and know nothing of SRI.

/** Nix's base-32 alphabet: digits and letters without e, o, u and t. */
const NIX_BASE32 = "0123456789abcdfghijklmnpqrsvwxyz";

export const SRI_SHA256 = /^sha256-([A-Za-z0-9+/]{43}=)$/;

/** Bytes in Nix's base-32: least significant 5-bit group last, as nix-hash --to-base32 prints. */
export function toNixBase32(bytes: Uint8Array): string {
  const length = Math.ceil((bytes.length * 8) / 5);
  let out = "";
  for (let n = length - 1; n >= 0; n--) {
    const bit = n * 5;
    const i = Math.floor(bit / 8);
    const j = bit % 8;
    const low = bytes[i]! >> j;
    const high = i + 1 < bytes.length ? bytes[i + 1]! << (8 - j) : 0;
    out += NIX_BASE32[(low | high) & 0x1f];
  }
  return out;
}

/** A hash as the generated tree writes it: SRI converted to base-32, the others as written. */
export function forNix(hash: string): string {
  const sri = SRI_SHA256.exec(hash);
  if (sri === null) return hash;
  return toNixBase32(Uint8Array.from(Buffer.from(sri[1]!, "base64")));
}
