import { RPC_ERRORS, RpcError } from './rpc-error.js';

// Framing for byte streams (a child process's pipe): newline-delimited JSON, one JSON-RPC message
// per line. Chosen over the LSP's Content-Length headers on measurement (packages/host/bench/
// framing.bench.mjs) and because any language's standard library reads lines and parses JSON.
// JSON.stringify never writes a raw newline (it escapes those inside strings), so a line is a message.

/** Lines longer than this (in UTF-16 units) are dropped, so a plugin cannot grow the host's memory without bound. */
export const MAX_LINE_LENGTH = 64 * 1024 * 1024;

/**
 * Frames messages as lines: the text to write for one batch. Throws if one cannot be encoded, or
 * (an RpcError `messageTooLarge`) if a line is over the limit the other side would drop it at:
 * sent, it would leave its request waiting forever.
 */
export function encodeLines(messages: readonly unknown[], maxLength = MAX_LINE_LENGTH): string {
  let text = '';
  for (const m of messages) {
    const line = JSON.stringify(m);
    if (line.length > maxLength) {
      throw new RpcError(
        RPC_ERRORS.messageTooLarge,
        `The message is ${line.length} characters of JSON, over the ${maxLength}-character line limit of protocol version 1.`,
        { bytes: line.length, limit: maxLength },
      );
    }
    text = messages.length === 1 ? `${line}\n` : `${text}${line}\n`;
  }
  return text;
}

/** Splits decoded text (chunks in any sizes) into lines; never throws. */
export class LineDecoder {
  #buffer = '';
  /** True while skipping the rest of a line that grew past the limit. */
  #skipping = false;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly onTooLong: (length: number) => void,
    private readonly maxLength = MAX_LINE_LENGTH,
  ) {}

  push(chunk: string): void {
    let start = 0;
    let end = chunk.indexOf('\n');
    while (end !== -1) {
      if (this.#skipping) {
        this.#skipping = false;
      } else {
        const line =
          this.#buffer.length === 0 ? chunk.slice(start, end) : this.#buffer + chunk.slice(start, end);
        this.#buffer = '';
        if (line.length > this.maxLength) this.onTooLong(line.length);
        else this.#emit(line);
      }
      start = end + 1;
      end = chunk.indexOf('\n', start);
    }
    if (start === chunk.length || this.#skipping) return;
    if (this.#buffer.length + chunk.length - start > this.maxLength) {
      this.onTooLong(this.#buffer.length + chunk.length - start);
      this.#buffer = '';
      this.#skipping = true;
      return;
    }
    this.#buffer += start === 0 ? chunk : chunk.slice(start);
  }

  /** The input ended: a last line without its newline is handled too (output logs end so). */
  end(): void {
    const rest = this.#buffer;
    this.#buffer = '';
    if (!this.#skipping && rest.length > 0) this.#emit(rest);
    this.#skipping = false;
  }

  #emit(line: string): void {
    // Tolerate CRLF line ends and blank lines, as a hand-written plugin may send them.
    const text = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (text.trim().length > 0) this.onLine(text);
  }
}
