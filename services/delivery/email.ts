/**
 * Sends one e-mail through the configured SMTP server (nodemailer). A permanent refusal (SMTP 5xx,
 * e.g. an unknown mailbox) is a typed error the caller maps to a terminal failure; anything else
 * throws a plain error so the surrounding `ctx.run` retries it. The Message-ID comes from the
 * caller's journal, so a resend after a crash carries the same id and mail clients can drop it.
 */
import nodemailer from "nodemailer";

export class EmailRejectedError extends Error {
  override readonly name = "EmailRejectedError";
}

export interface EmailMessage {
  readonly smtpUrl: string;
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly messageId: string;
  readonly attachment: { readonly filename: string; readonly json: string };
}

function responseCode(error: unknown): number | undefined {
  return typeof error === "object" &&
    error !== null &&
    "responseCode" in error &&
    typeof error.responseCode === "number"
    ? error.responseCode
    : undefined;
}

export async function deliverEmail(message: EmailMessage): Promise<{ readonly response: string }> {
  const transport = nodemailer.createTransport(message.smtpUrl);
  try {
    const info = await transport.sendMail({
      from: message.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      messageId: `<${message.messageId}@procure>`,
      headers: { "Idempotency-Key": message.messageId },
      attachments: [
        {
          filename: message.attachment.filename,
          content: message.attachment.json,
          contentType: "application/json",
        },
      ],
    });
    return { response: info.response };
  } catch (error) {
    const code = responseCode(error);
    if (code !== undefined && code >= 500)
      throw new EmailRejectedError(`SMTP server refused the e-mail to ${message.to}: ${String(error)}`);
    throw error;
  } finally {
    transport.close();
  }
}
