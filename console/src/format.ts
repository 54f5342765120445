/** How the console writes money, times and our states: won with separators, Korea time, Korean words. */
import type { OrderStatus } from '../../shared/domain/states.ts';

const WON = new Intl.NumberFormat('ko-KR');
export const won = (n: number | undefined): string => (n === undefined ? '—' : `${WON.format(n)}원`);
export const count = (n: number): string => WON.format(n);

const KST = new Intl.DateTimeFormat('ko-KR', {
  timeZone: 'Asia/Seoul',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});
/** `2026. 12. 07. 14:03:09` in Korea time. */
export const kst = (iso: string | undefined): string => (iso === undefined ? '—' : KST.format(new Date(iso)));

/** Today in Korea, YYYY-MM-DD. */
export const kstDay = (ms: number = Date.now()): string => new Date(ms + 9 * 3_600_000).toISOString().slice(0, 10);

export const STATUS_LABEL: Record<OrderStatus, string> = {
  CREATING: '생성 중',
  CREATE_FAILED: '생성 실패',
  PAY_STANDBY: '결제 대기',
  PAY_APPROVED: '승인됨(실행 전)',
  EXECUTING: '결제 실행 중',
  EXECUTE_FAILED: '실행 실패',
  PAY_PROGRESS: '결제 진행 중',
  PAY_COMPLETE: '결제 완료',
  PAY_CANCEL: '결제 취소',
  REFUND_PROGRESS: '환불 진행 중',
  REFUND_SUCCESS: '환불됨',
  SETTLEMENT_COMPLETE: '정산 완료',
  SETTLEMENT_REFUND_COMPLETE: '환불 후 정산',
};
export const statusLabel = (s: string): string => STATUS_LABEL[s as OrderStatus] ?? s;

export const PAYMENT_STATE_LABEL: Record<string, string> = {
  unpaid: '미결제',
  paid: '결제됨',
  partially_refunded: '부분 환불',
  refunded: '전액 환불',
  cancelled: '취소',
  failed: '실패',
};

export const SOURCE_LABEL: Record<string, string> = {
  create: '주문 생성',
  return: '구매자 복귀',
  cancel: '구매자 취소',
  callback: '토스 콜백',
  reconciler: '자동 점검',
  merchant: '가맹점 요청',
  refresh: '토스 조회',
  toss: '토스 콘솔',
  api: 'API',
};

export const CANCEL_REASON_LABEL: Record<string, string> = { BUYER: '구매자가 취소', EXPIRED: '결제 시간 만료', MERCHANT: '가맹점이 취소' };

export const EVENT_LABEL: Record<string, string> = {
  'payment.completed': '결제 완료',
  'payment.cancelled': '결제 취소',
  'payment.failed': '결제 실패',
  'payment.refunded': '환불',
  'refund.failed': '환불 실패',
  'payment.settled': '정산',
  'order.flagged': '확인 필요',
  'endpoint.disabled': '엔드포인트 꺼짐',
};

export const DELIVERY_LABEL: Record<string, string> = {
  none: '웹훅 없음',
  pending: '전송 중',
  delivered: '전송됨',
  failed: '전송 실패',
  waiting: '엔드포인트 꺼짐(대기)',
  cancelled: '엔드포인트 삭제됨',
};

export const ROLE_LABEL: Record<string, string> = { viewer: '조회', operator: '운영', admin: '관리자' };

/** Who did it: a console user's email, or the merchant's server. */
export function actorLabel(a: { id: string; email?: string | undefined } | undefined): string {
  if (a === undefined) return '';
  if (a.id.startsWith('merchant:')) return `가맹점 서버(토큰 ${a.id.slice('merchant:'.length)})`;
  return a.email ?? a.id;
}

/** Why an order needs a person, and what to do, from its `attention.reason`. */
export function attentionAdvice(reason: string): { why: string; todo: string } {
  if (reason.startsWith('CONTRADICTION'))
    return { why: '토스의 결제 정보가 저장된 주문과 다릅니다(주문번호, 금액, 결제 토큰 또는 모드).', todo: '토스 상점관리자에서 결제를 확인한 뒤, 필요하면 환불하거나 고객에게 연락하세요.' };
  if (reason.startsWith('RECOVERED'))
    return { why: '저장되지 않았던 결제를 토스에서 찾아 기록했습니다.', todo: '주문 내역과 맞는지 확인하고 배송 여부를 결정하세요.' };
  if (reason === 'UNRESOLVED:REFUND')
    return { why: '환불 요청의 결과가 토스에서 오랫동안 확정되지 않았습니다.', todo: '"토스에서 새로 고침"으로 환불 결과를 확인하세요. 계속되면 토스 상점관리자에서 환불 내역을 확인하세요.' };
  return { why: '오랫동안 결과가 확정되지 않았습니다(토스 응답 없음 또는 처리 지연).', todo: '"토스에서 새로 고침"으로 최신 상태를 확인하세요. 계속되면 토스 상점관리자에서 확인하세요.' };
}
