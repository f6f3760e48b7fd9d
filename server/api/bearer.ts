// The token of an `Authorization: Bearer …` header. The scheme's name is case-insensitive (RFC 9110
// §11.1): clients and proxies that send `bearer` are answered like those that send `Bearer`.
const BEARER = /^bearer[ \t]+(\S+)[ \t]*$/i;

export function bearerToken(header: string | null): string {
  return BEARER.exec(header ?? '')?.[1] ?? '';
}
