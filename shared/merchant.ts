/**
 * The shop as the buyer's pages present it: its name, how to reach it, its business details (the
 * ones Korean e-commerce pages show: 상호, 대표자, 사업자등록번호, 통신판매업 신고번호, 주소) and its
 * page (MERCHANT_SHOP_URL). All configuration (shared/config.ts); only the name is required, and
 * only by the functions that render pages (the landings), which fail their cold start without it.
 */
import { ConfigError, PHONE_RE, type AppConfig } from './config.ts';

export interface Merchant {
  name: string;
  support?: { kind: 'phone' | 'url'; value: string } | undefined;
  business: {
    /** 상호 */
    company?: string | undefined;
    /** 대표자 */
    representative?: string | undefined;
    /** 사업자등록번호 */
    registrationNumber?: string | undefined;
    /** 통신판매업 신고번호 */
    mailOrderNumber?: string | undefined;
    /** 주소 */
    address?: string | undefined;
  };
  /** The shop's page: the pages' way back (쇼핑 계속하기, 다시 결제하기). */
  shopUrl?: string | undefined;
}

export type MerchantConfig = Pick<
  AppConfig,
  | 'MERCHANT_NAME'
  | 'MERCHANT_SUPPORT'
  | 'MERCHANT_COMPANY'
  | 'MERCHANT_REPRESENTATIVE'
  | 'MERCHANT_BUSINESS_NUMBER'
  | 'MERCHANT_MAIL_ORDER_NUMBER'
  | 'MERCHANT_ADDRESS'
  | 'MERCHANT_SHOP_URL'
>;

/** The shop of a configuration; a ConfigError naming MERCHANT_NAME when it has none. */
export function merchantOf(c: MerchantConfig): Merchant {
  if (c.MERCHANT_NAME === undefined) throw new ConfigError('invalid configuration:\n  MERCHANT_NAME: required: the shop\'s name, shown on every result page');
  const support = c.MERCHANT_SUPPORT;
  return {
    name: c.MERCHANT_NAME,
    support: support === undefined ? undefined : { kind: PHONE_RE.test(support) ? 'phone' : 'url', value: support },
    business: {
      company: c.MERCHANT_COMPANY,
      representative: c.MERCHANT_REPRESENTATIVE,
      registrationNumber: c.MERCHANT_BUSINESS_NUMBER,
      mailOrderNumber: c.MERCHANT_MAIL_ORDER_NUMBER,
      address: c.MERCHANT_ADDRESS,
    },
    shopUrl: c.MERCHANT_SHOP_URL,
  };
}
