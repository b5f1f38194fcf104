/**
 * Names that project files the scripts import mention outside the paths k6 runs: src/protocol/loopback.ts's
 * isLoopbackUrl uses URL, the scripts only call isLoopbackHost. Declared so `tsc -p scenarios/k6` checks the
 * shared files without Node's types.
 */
declare class URL {
  constructor(url: string);
  readonly hostname: string;
}
