import { describe, expect, it } from 'vitest';
import { checkWebhook, signWebhook, verifyWebhook, webhookHeaders } from './webhook-signature';

describe('Standard Webhooks signature', () => {
  it('matches the test vector of the Standard Webhooks specification', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
    const body = '{"test": 2432232314}';
    expect(signWebhook(secret, id, 1614265330, body)).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
    expect(
      verifyWebhook(secret, id, 1614265330, body, 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='),
    ).toBe(true);
  });

  it('uses a secret without the whsec_ prefix as its UTF-8 bytes', () => {
    const raw = 'a plain secret';
    const asWhsec = `whsec_${Buffer.from(raw, 'utf8').toString('base64')}`;
    expect(signWebhook(raw, 'm1', 1, 'x')).toBe(signWebhook(asWhsec, 'm1', 1, 'x'));
    expect(signWebhook(raw, 'm1', 1, 'x')).not.toBe(signWebhook(`${raw}!`, 'm1', 1, 'x'));
  });

  it('accepts any one of several space-separated signatures, and only v1 ones', () => {
    const good = signWebhook('s', 'm1', 10, 'body');
    const other = signWebhook('old secret', 'm1', 10, 'body');
    expect(verifyWebhook('s', 'm1', 10, 'body', `${other} ${good}`)).toBe(true);
    expect(verifyWebhook('s', 'm1', 10, 'body', other)).toBe(false);
    expect(verifyWebhook('s', 'm1', 10, 'body', good.replace('v1,', 'v2,'))).toBe(false);
    expect(verifyWebhook('s', 'm1', 10, 'body', 'v1,')).toBe(false);
    expect(verifyWebhook('s', 'm1', 10, 'body', 'v1,c2hvcnQ=')).toBe(false);
  });
});

describe('checkWebhook', () => {
  const now = Date.UTC(2026, 0, 1, 12);
  const body = '{"events":[]}';
  const signed = (at = now) => webhookHeaders('whsec_c2VjcmV0', 'batch-1', body, at);

  it('accepts what webhookHeaders signed, as text or as the raw bytes', () => {
    expect(checkWebhook('whsec_c2VjcmV0', signed(), body, now)).toBeNull();
    expect(checkWebhook('whsec_c2VjcmV0', signed(), Buffer.from(body), now)).toBeNull();
  });

  it('refuses a timestamp more than 5 minutes away, either way, and one that is not a number', () => {
    for (const skew of [300_000, -300_000]) {
      expect(checkWebhook('whsec_c2VjcmV0', signed(now + skew), body, now)).toBeNull();
    }
    for (const skew of [301_000, -301_000]) {
      expect(checkWebhook('whsec_c2VjcmV0', signed(now + skew), body, now)).toMatch(/5 minutes/);
    }
    expect(checkWebhook('whsec_c2VjcmV0', { ...signed(), 'webhook-timestamp': '1.7e9' }, body, now)).toMatch(
      /5 minutes/,
    );
  });

  it('refuses missing headers, another secret and a changed body', () => {
    const { 'webhook-id': _id, ...withoutId } = signed();
    expect(checkWebhook('whsec_c2VjcmV0', withoutId, body, now)).toMatch(/are required/);
    expect(checkWebhook('whsec_b3RoZXI=', signed(), body, now)).toMatch(/does not match/);
    expect(checkWebhook('whsec_c2VjcmV0', signed(), `${body} `, now)).toMatch(/does not match/);
    expect(checkWebhook('whsec_c2VjcmV0', { ...signed(), 'webhook-id': 'batch-2' }, body, now)).toMatch(
      /does not match/,
    );
  });
});
