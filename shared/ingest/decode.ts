/**
 * Turns uploaded byte chunks into text for the CSV parser: UTF-8 (BOM dropped) unless a byte sequence
 * is not UTF-8, in which case that chunk and the rest are read as Windows-1252 (the encoding of the
 * Kaggle Superstore file); CRLF and lone CR line ends become LF. Also hashes the raw bytes (SHA-256).
 */
import { createHash } from "node:crypto";

export type TextEncoding = "utf-8" | "windows-1252";

export class ChunkDecoder {
  #encoding: TextEncoding = "utf-8";
  #pending = new Uint8Array(0);
  #endsWithCarriageReturn = false;
  #atStart = true;
  readonly #hash = createHash("sha256");

  get encoding(): TextEncoding {
    return this.#encoding;
  }

  digest(): string {
    return this.#hash.digest("hex");
  }

  /** Text of this chunk; an incomplete UTF-8 sequence at its end waits for the next chunk. */
  decode(chunk: Uint8Array | string): string {
    if (typeof chunk === "string") {
      this.#hash.update(chunk, "utf8");
      return this.flush() + this.#normalise(chunk);
    }
    this.#hash.update(chunk);
    const bytes = this.#pending.length === 0 ? chunk : concat(this.#pending, chunk);
    const complete = this.#encoding === "utf-8" ? completeUtf8Length(bytes) : bytes.length;
    this.#pending = bytes.slice(complete);
    return this.#normalise(this.#decodeBytes(bytes.subarray(0, complete)));
  }

  /** Whatever is left at the end of the stream. */
  flush(): string {
    const rest = this.#pending;
    this.#pending = new Uint8Array(0);
    const text = rest.length === 0 ? "" : this.#decodeBytes(rest);
    return this.#normalise(text);
  }

  #decodeBytes(bytes: Uint8Array): string {
    if (this.#encoding === "utf-8") {
      try {
        return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
      } catch {
        this.#encoding = "windows-1252";
      }
    }
    return new TextDecoder("windows-1252").decode(bytes);
  }

  #normalise(text: string): string {
    let result = this.#atStart && text.length > 0 ? text.replace(/^\uFEFF/, "") : text;
    if (text.length > 0) this.#atStart = false;
    if (this.#endsWithCarriageReturn && result.startsWith("\n")) result = result.slice(1);
    this.#endsWithCarriageReturn = result.endsWith("\r");
    return result.replace(/\r\n?/g, "\n");
  }
}

function concat(first: Uint8Array, second: Uint8Array): Uint8Array {
  const joined = new Uint8Array(first.length + second.length);
  joined.set(first, 0);
  joined.set(second, first.length);
  return joined;
}

/** Length of the prefix that ends on a UTF-8 character boundary (looks back at most 3 bytes). */
function completeUtf8Length(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back]!;
    if ((byte & 0xc0) === 0x80) continue;
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? bytes.length - back : bytes.length;
  }
  return bytes.length;
}
