/**
 * The n8n credentials Lapak's flows use, made from settings at deploy time (a flow file names a
 * credential by type and name only; each n8n holds the credential itself, encrypted with its own
 * key). Today one: the SMTP server the automation flows send their mails through.
 */
export interface SmtpSettings {
  host: string;
  port: number;
  /** Empty for a server that takes mail without logging in (a local mail catcher). */
  user?: string;
  password?: string;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  secure?: boolean;
}

/** The name the flows' Send Email nodes give their SMTP credential. */
export const smtpCredentialName = 'Lapak SMTP';

/** An n8n credential as `n8n import:credentials` reads it (data in the clear: n8n encrypts it). */
export interface N8nCredential {
  id: string;
  name: string;
  type: string;
  data: Record<string, unknown>;
}

/** The SMTP credential, with a fixed id so that deploying again updates it in place. */
export function smtpCredential(smtp: SmtpSettings): N8nCredential {
  return {
    id: 'lapakSmtpAccount',
    name: smtpCredentialName,
    type: 'smtp',
    data: {
      user: smtp.user ?? '',
      password: smtp.password ?? '',
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure ?? false,
      disableStartTls: false,
    },
  };
}

/** The SMTP settings of Lapak's config (SMTP_HOST, SMTP_PORT, …). */
export const smtpOfConfig = (config: {
  SMTP_HOST: string;
  SMTP_PORT: number;
  SMTP_USER?: string | undefined;
  SMTP_PASSWORD?: string | undefined;
  SMTP_SECURE: 'true' | 'false';
}): SmtpSettings => ({
  host: config.SMTP_HOST,
  port: config.SMTP_PORT,
  user: config.SMTP_USER,
  password: config.SMTP_PASSWORD,
  secure: config.SMTP_SECURE === 'true',
});
