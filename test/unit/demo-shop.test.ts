/**
 * The demo shop when the webhooks go to another receiver (MERCHANT_WEBHOOK_URL set under npm
 * start): no event will ever reach it, so an order it sent to checkout says so, instead of
 * 결제 확인 중 and a page reloading itself forever.
 */
import { describe, expect, it } from 'vitest';
import { createDemoShop } from '../../local/gateway/demo-shop.ts';

const get = async (shop: ReturnType<typeof createDemoShop>, path: string): Promise<string> => {
  const r = await shop.handle({ method: 'GET', rawPath: path, headers: {}, body: Buffer.alloc(0) }, 'http://127.0.0.1:9');
  expect(r?.status).toBe(200);
  return r?.body.toString('utf8') ?? '';
};

describe('the demo shop', () => {
  it('waits for its webhook (결제 확인 중, reloading) while the webhooks come to it', async () => {
    const shop = createDemoShop({ merchantToken: 't', webhookSecret: `whsec_${Buffer.from('x'.repeat(24)).toString('base64')}` });
    shop.orders.placed({ orderNo: '261207-K7QM-3XRA', productDesc: '토스 티셔츠', amount: 35_000 });
    const page = await get(shop, '/demo/orders/261207-K7QM-3XRA');
    expect(page).toContain('결제 확인 중');
    expect(page).toContain('http-equiv="refresh"');
    expect(page).not.toContain('MERCHANT_WEBHOOK_URL');
  });

  it('says where the webhooks go when they go elsewhere, and waits for nothing', async () => {
    const shop = createDemoShop({ merchantToken: 't', webhooksElsewhere: 'https://hooks.example.com/toss' });
    shop.orders.placed({ orderNo: '261207-K7QM-3XRA', productDesc: '토스 티셔츠', amount: 35_000 });
    for (const path of ['/', '/demo/orders/261207-K7QM-3XRA']) {
      const page = await get(shop, path);
      expect(page).toContain('결과 알 수 없음');
      expect(page).toContain('https://hooks.example.com/toss');
      expect(page).toContain('MERCHANT_WEBHOOK_URL');
      expect(page).not.toContain('결제 확인 중');
      expect(page).not.toContain('http-equiv="refresh"');
    }
  });
});
