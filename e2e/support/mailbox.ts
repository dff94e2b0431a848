/**
 * The mails the automation flows sent, read from the MailDev the global setup runs (its REST API,
 * `GET /api/email`): a real SMTP server between n8n and the test.
 */
import { inject } from 'vitest';
import { eventually } from '@lapak/core/testing';

export interface Mail {
  id: string;
  subject: string;
  text: string;
  from: { address: string; name: string }[];
  to: { address: string; name: string }[];
  time: string;
}

export function mailbox() {
  const url = inject('cms').mailUrl;
  const all = async (): Promise<Mail[]> => {
    const response = await fetch(`${url}/api/email`);
    if (!response.ok) throw new Error(`MailDev answered ${response.status}`);
    return (await response.json()) as Mail[];
  };
  return {
    all,
    /** The mails sent to `address`, oldest first. */
    async to(address: string): Promise<Mail[]> {
      return (await all())
        .filter((mail) => mail.to.some((to) => to.address === address))
        .sort((a, b) => a.time.localeCompare(b.time));
    },
    /** Waits until `address` has received `count` mails (or more), and returns them, oldest first. */
    async waitFor(address: string, count: number, timeoutMs = 60_000): Promise<Mail[]> {
      let mails: Mail[] = [];
      await eventually(
        `${count} mail(s) to ${address}`,
        async () => (mails = await this.to(address)).length >= count,
        timeoutMs,
      );
      return mails;
    },
  };
}
