/**
 * What the edge answers when something fails: a JSON body `{ error, code }` with a human message and a
 * stable code for the HTTP status — never a stack trace or a file path, also when the message comes
 * from the Restate ingress (a killed invocation carries its last error's stack there).
 */

const codeByStatus: Readonly<Record<number, string>> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  409: "conflict",
  410: "gone",
  413: "payload_too_large",
  415: "unsupported_media_type",
  422: "unprocessable",
  429: "too_many_requests",
  500: "internal_error",
  502: "bad_gateway",
  503: "unavailable",
  504: "timeout",
};

export interface ErrorBody {
  readonly error: string;
  readonly code: string;
}

export function errorCode(status: number): string {
  return codeByStatus[status] ?? (status >= 500 ? "internal_error" : "request_failed");
}

const stackFrame = /^\s*at\s|^\s*\.\.\. \d+ lines? matching cause stack trace/;
const filePath = /(?:file:\/\/)?(?:\/[\w.@+-]+){2,}\.(?:[cm]?[jt]s)(?::\d+){0,2}/g;
const maxMessageLength = 4000;

/** A message fit for a client: stack frames dropped, source paths masked, length bounded. */
export function clientMessage(message: string): string {
  const lines = message.split("\n").filter((line) => !stackFrame.test(line));
  const cleaned = lines.join("\n").replace(filePath, "<source>").trim();
  return cleaned.length > maxMessageLength ? `${cleaned.slice(0, maxMessageLength)}…` : cleaned;
}

export function errorBody(status: number, message: string): ErrorBody {
  return { error: clientMessage(message), code: errorCode(status) };
}

/** The error body for a failed ingress answer (Restate's `{ message }` JSON, or plain text). */
export function upstreamErrorBody(status: number, text: string): ErrorBody {
  let message = text;
  try {
    const parsed: unknown = JSON.parse(text);
    if (
      typeof parsed === "object" &&
      parsed !== null &&
      "message" in parsed &&
      typeof parsed.message === "string"
    )
      message = parsed.message;
  } catch {
    // not JSON: the text itself is the message
  }
  return errorBody(status, message === "" ? `the call failed with status ${status}` : message);
}
