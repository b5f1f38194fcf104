/**
 * Stampede never follows a redirect from a target. The loopback guard checked the address the user gave, not the
 * one a Location header names, and a followed redirect sends the same request (the seeded world with its
 * passwords and camera secrets, a user's token) to that other origin. Every client asks with `redirect: 'manual'`
 * (undici's `request` never follows) and turns a 3xx into this problem.
 */
export function redirectRefused(status: number): string | undefined {
  if (status < 300 || status > 399) return undefined;
  return `answered ${status}, a redirect: redirects are not followed (is --target the backend's own address?)`;
}
