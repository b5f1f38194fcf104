/** Commander's way to take a repeatable flag (`--target a --target b`). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
