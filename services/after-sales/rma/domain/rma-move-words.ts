import type { Locale } from '../../../kernel/locale.ts';
import type { RmaState } from './rma-ticket.ts';

/*
 * What each move of the after-sales process does, in Chinese beside the English summaries of
 * the transition table (rma-transition-table.ts), keyed by the edge. The English stays the
 * table's own, so the two cannot drift apart for an English reader.
 */

type Edge = `${RmaState}>${RmaState}`;

export const MOVE_SUMMARIES_ZH: Readonly<Partial<Record<Edge, string>>> = {
  'registered>warranty-confirmed': '售后确认保修期限及范围，并建议客户为运输投保',
  'registered>cancelled': '已远程解决，或在寄出前撤销',
  'warranty-confirmed>awaiting-product': '已告知客户寄送方式',
  'warranty-confirmed>cancelled': '已远程解决，或在寄出前撤销',
  'awaiting-product>in-transit': '客户已寄出云盒：快递公司和运单号',
  'awaiting-product>cancelled': '已远程解决，或在寄出前撤销',
  'in-transit>received': '云盒已签收，维修周期开始计算',
  'received>diagnosed': '技术员填写维修报告：检测结果、配件、费用',
  'diagnosed>repairing': '免费维修，立即开始',
  'diagnosed>awaiting-decision': '售后发送维修报告，并与客户确认费用',
  'awaiting-decision>awaiting-payment': '客户已同意费用',
  'awaiting-decision>postponed': '5 个工作日内未答复：顺延至下一维修周期',
  'awaiting-decision>returned-unrepaired': '客户拒绝维修，或报告发出后 30 个工作日内未付款',
  'postponed>awaiting-decision': '客户回来商议维修报告',
  'postponed>awaiting-payment': '客户已同意费用',
  'postponed>returned-unrepaired': '客户拒绝维修，或报告发出后 30 个工作日内未付款',
  'awaiting-payment>repairing': '已收到汇款，售后通知技术员开始维修',
  'awaiting-payment>returned-unrepaired': '客户撤回维修，或报告发出后 30 个工作日内未付款',
  'repairing>repaired': '维修完成，维修周期停止计算',
  'repaired>tested': '出厂检测通过',
  'repaired>repairing': '出厂检测未通过，返回维修',
  'tested>shipped-back': '已寄回修好的云盒和维修报告',
  'returned-unrepaired>shipped-back': '已寄回未维修的云盒',
  'shipped-back>closed': '客户确认签收，或反馈期（一周）已过',
};

/** A move's summary in `locale`: the table's English, or its Chinese beside it. */
export function moveSummaryIn(from: RmaState, to: RmaState, english: string, locale: Locale): string {
  return locale === 'en' ? english : (MOVE_SUMMARIES_ZH[`${from}>${to}`] ?? english);
}
