/**
 * HTML built by a tagged template that escapes every interpolated value unless it is already `Html`. Ids,
 * messages and labels in a run come from the target's answers, so they are untrusted: escaping by default
 * means a forgotten call cannot turn evidence into script.
 */

/** Markup that is already safe to insert as is. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Interpolation = Html | string | number | boolean | null | undefined | readonly Interpolation[];

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe in element content and in quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char]!);
}

function flatten(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(flatten).join('');
  return escapeHtml(String(value));
}

/** `html\`<td>${untrusted}</td>\`` escapes `untrusted`; nested `html` results and arrays of them pass through. */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Html {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += flatten(value) + strings[i + 1]!;
  });
  return new Html(out);
}

/** Markup from a trusted source (our own constant CSS and script). */
export function trusted(markup: string): Html {
  return new Html(markup);
}
