// Where to go after signing in: only a path on this site. An open redirect after sign-in would be a
// phishing aid, and browsers read `/\evil.example` (and `/\t/evil.example`) as `//evil.example`.
export function safeCallback(url: string | undefined): string {
  if (!url || !url.startsWith('/')) return '/';
  // eslint-disable-next-line no-control-regex
  if (/^\/[/\\]|[\x00-\x1f\\]/.test(url)) return '/';
  return url;
}
