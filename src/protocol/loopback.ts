/**
 * Load only ever goes to this machine unless the user says otherwise. These are the addresses that count as
 * "this machine": the IPv4 loopback block, ::1, and the name localhost.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host === '::1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
