/**
 * The one redaction point. Everything Stampede records or prints (journal records, console and log lines, every
 * report) passes through `redact`, so a secret a target echoes back in an error body, or a password someone put
 * in a URL, is replaced wherever it would land, instead of being patched out call by call.
 *
 * Known secrets (admin token, user passwords, camera secrets, collector tokens) are registered once, when the run
 * learns them; they live for the process, which is one run.
 */

export const REDACTED = '[redacted]';

/**
 * Shorter secrets are not looked for: replacing a three-letter token everywhere would mangle ordinary words, and
 * the secrets Stampede makes are 20 characters or more.
 */
const MIN_SECRET = 6;
const KEY_LENGTH = 4;
/** Slots of the filter in front of the index: most positions of most text are turned away by one array read. */
const FILTER_SLOTS = 1 << 20;

/** Known secrets, indexed by their first characters so a scan costs one lookup per character, not per secret. */
class SecretIndex {
  private readonly byKey = new Map<number, string[]>();
  private readonly filter = new Uint8Array(FILTER_SLOTS);

  add(secret: string): void {
    // The secret as echoed raw, inside a JSON string, or percent-encoded in a URL.
    for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)])) {
      if (form.length < MIN_SECRET) continue;
      const key = keyAt(form, 0);
      const forms = this.byKey.get(key) ?? [];
      if (forms.includes(form)) continue;
      forms.push(form);
      // Longest first, so a secret that starts with another is replaced whole.
      forms.sort((a, b) => b.length - a.length);
      this.byKey.set(key, forms);
      this.filter[key & (FILTER_SLOTS - 1)] = 1;
    }
  }

  clear(): void {
    this.byKey.clear();
    this.filter.fill(0);
  }

  redact(text: string): string {
    if (this.byKey.size === 0 || text.length < MIN_SECRET) return text;
    let out = '';
    let copiedTo = 0;
    for (let i = 0; i + MIN_SECRET <= text.length; ) {
      const key = keyAt(text, i);
      const hit = this.filter[key & (FILTER_SLOTS - 1)] === 0 ? undefined : this.byKey.get(key)?.find((form) => text.startsWith(form, i));
      if (hit === undefined) {
        i += 1;
        continue;
      }
      out += text.slice(copiedTo, i) + REDACTED;
      i += hit.length;
      copiedTo = i;
    }
    return copiedTo === 0 ? text : out + text.slice(copiedTo);
  }
}

/** A number from the first KEY_LENGTH characters at `at`; collisions only cost a `startsWith`. */
function keyAt(text: string, at: number): number {
  let key = 0;
  for (let i = at; i < at + KEY_LENGTH; i++) key = (key * 31 + text.charCodeAt(i)) | 0;
  return key;
}

const secrets = new SecretIndex();

/** Registers a secret to be redacted from everything recorded or printed from now on. */
export function keepSecret(secret: string | undefined): void {
  if (secret) secrets.add(secret);
}

/** Forgets every registered secret (tests). */
export function forgetSecrets(): void {
  secrets.clear();
}

/**
 * The userinfo of any URL in a text (`scheme://user:pass@`): everything between `//` and the last `@` before the
 * host ends (`/`, `\`, `?`, `#` or whitespace), as the WHATWG URL parser reads it.
 */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/\\?#]*@/gi;

/** `text` with every known secret and every URL's credentials replaced by `[redacted]`. */
export function redact(text: string): string {
  return secrets.redact(text.includes('@') ? text.replace(URL_USERINFO, `$1${REDACTED}@`) : text);
}

/**
 * `value` with `redact` applied to every string in it (keys included). Plain objects and arrays are copied only
 * where something changed; anything else (class instances, Maps) is left as it is.
 */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) {
    const items = value.map((item) => redactDeep(item));
    return (items.some((item, i) => item !== value[i]) ? items : value) as T;
  }
  if (value === null || typeof value !== 'object') return value;
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  let changed = false;
  const copy: Record<string, unknown> = {};
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const item = record[key];
    const cleanKey = redact(key);
    const cleanItem = redactDeep(item);
    changed ||= cleanKey !== key || cleanItem !== item;
    copy[cleanKey] = cleanItem;
  }
  return (changed ? copy : value) as T;
}
