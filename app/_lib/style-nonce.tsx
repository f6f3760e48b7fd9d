'use client';
// Radix dialogs lock the page's scroll with a <style> element they add at run time (react-remove-scroll).
// Our Content-Security-Policy admits a <style> element only with this request's nonce, so that library
// is handed the nonce (through get-nonce, where it looks for one) before any dialog opens.
import { setNonce } from 'get-nonce';

export function StyleNonce({ nonce }: { nonce: string | undefined }) {
  if (nonce && typeof window !== 'undefined') setNonce(nonce);
  return null;
}
