import { HttpClient, type HttpResponse } from 'toxiproxy-node-client/dist/HttpClient.js';

/** Toxiproxy answered with an error status; `message` is the server's own explanation. */
export class ToxiproxyHttpStatus extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ToxiproxyHttpStatus';
  }
}

/**
 * toxiproxy-node-client's HTTP layer with an AbortSignal on every request. The library's own one
 * calls fetch without a signal, so a hung Toxiproxy API would leave the request (and its socket,
 * which keeps the process alive) open for minutes; aborting really ends it. It also keeps the
 * server's error text, which the library drops.
 */
export class SignalledHttpClient extends HttpClient {
  constructor(private readonly signal: AbortSignal) {
    super();
  }

  override async get<T>(url: string): Promise<HttpResponse<T>> {
    return { data: (await this.send('GET', url)) as T };
  }

  override async post<T>(url: string, body?: unknown): Promise<HttpResponse<T>> {
    return { data: (await this.send('POST', url, body)) as T };
  }

  override async delete(url: string): Promise<void> {
    await this.send('DELETE', url);
  }

  override async getText(url: string): Promise<string> {
    return (await this.fetchOk('GET', url)).text();
  }

  private async send(method: string, url: string, body?: unknown): Promise<unknown> {
    const text = await (await this.fetchOk(method, url, body)).text();
    return text.length === 0 ? undefined : JSON.parse(text);
  }

  private async fetchOk(method: string, url: string, body?: unknown): Promise<Response> {
    const response = await fetch(url, {
      method,
      // A redirect would take the proxies we make, and the target's address, to a server the guard never saw.
      redirect: 'manual',
      signal: this.signal,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    if (!response.ok) {
      const text = await response.text();
      let message = text.trim();
      try {
        message = (JSON.parse(text) as { error?: string }).error ?? message;
      } catch {
        // not JSON: keep the raw text
      }
      throw new ToxiproxyHttpStatus(response.status, message || `HTTP ${response.status}`);
    }
    return response;
  }
}
