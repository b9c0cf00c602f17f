// A fetch Response over a body already read into memory, without the stream machinery of undici's Response.
//
// The Graph client reads every answer through the Response interface. Building an undici Response per answer and
// reading it back through its body stream showed in every `events` profile (docs/performance.md); our transport has
// the whole body as a string already, so json() and text() can answer from it directly.

/** Implements what the Graph client and our middleware use of Response; anything else goes through a real Response. */
export class BufferedResponse {
  readonly ok: boolean;
  readonly headers: Headers;
  readonly redirected = false;
  readonly type = 'basic';
  readonly url = '';
  private wasRead = false;

  constructor(
    private readonly text_: string | null,
    readonly status: number,
    headers: Record<string, string>,
  ) {
    this.ok = status >= 200 && status < 300;
    this.headers = new Headers(headers);
  }

  get statusText(): string {
    return '';
  }

  get bodyUsed(): boolean {
    return this.wasRead;
  }

  /** A stream only for callers that ask for one (the Graph client's STREAM response type). */
  get body(): ReadableStream<Uint8Array> | null {
    return this.text_ === null ? null : this.toResponse().body;
  }

  async text(): Promise<string> {
    return this.consume();
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.consume());
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = Buffer.from(this.consume(), 'utf8');
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  async blob(): Promise<Blob> {
    return new Blob([this.consume()]);
  }

  clone(): BufferedResponse {
    if (this.wasRead) throw new TypeError('Response body is already used');
    return new BufferedResponse(this.text_, this.status, Object.fromEntries(this.headers.entries()));
  }

  /** Read once, as a fetch Response is. */
  private consume(): string {
    if (this.wasRead) throw new TypeError('Response body is already used');
    this.wasRead = true;
    return this.text_ ?? '';
  }

  private toResponse(): Response {
    return new Response(this.text_, { status: this.status, headers: this.headers });
  }
}

/** The buffered answer typed as the Response the Graph client's Context holds. */
export function bufferedResponse(text: string | null, status: number, headers: Record<string, string>): Response {
  return new BufferedResponse(text, status, headers) as unknown as Response;
}
