import type { ErrorCode } from '../../kernel/app-error.ts';
import type { Locale } from '../../kernel/locale.ts';

/*
 * What each of the API's stable error codes means, in words for the person who clicked, in both
 * of the product's languages. The error body's `message` is read from here in the request's
 * language, and the dashboard shows that message: one table, typed against the kernel's
 * registry of codes, so a new code without words in both languages fails the type check.
 */
export const ERROR_MESSAGES = {
  VALIDATION_FAILED: {
    en: 'Some of the input is not valid.',
    'zh-CN': '部分输入无效。',
  },
  INVALID_JSON: {
    en: 'The request could not be read.',
    'zh-CN': '无法读取该请求。',
  },
  BAD_REQUEST: {
    en: 'The request could not be read.',
    'zh-CN': '无法读取该请求。',
  },
  CSV_MALFORMED: {
    en: 'The CSV file could not be read.',
    'zh-CN': '无法读取该 CSV 文件。',
  },
  IMPORT_INVALID: {
    en: 'Some rows of the import are not valid; nothing was imported.',
    'zh-CN': '导入中有部分行无效；未导入任何内容。',
  },
  INVALID_CREDENTIALS: {
    en: 'Wrong username or password.',
    'zh-CN': '用户名或密码错误。',
  },
  INVITATION_INVALID: {
    en: 'This invitation link cannot be used: it is unknown, has expired or was used already. Ask your after-sales contact for a new one.',
    'zh-CN': '此邀请链接无法使用：链接未知、已过期或已被使用。请向您的售后联系人索取新链接。',
  },
  ORGANISATION_NOT_FOUND: {
    en: 'No such customer organisation.',
    'zh-CN': '没有该客户单位。',
  },
  ORGANISATION_EXISTS: {
    en: 'A customer organisation with this name exists already.',
    'zh-CN': '已存在同名的客户单位。',
  },
  NOTIFICATION_NOT_FOUND: {
    en: 'No such notification.',
    'zh-CN': '没有该通知。',
  },
  WEBHOOK_NOT_FOUND: {
    en: 'No webhook is set up yet.',
    'zh-CN': '尚未设置 Webhook。',
  },
  WEBHOOK_DELIVERY_NOT_FOUND: {
    en: 'No such delivery.',
    'zh-CN': '没有该投递记录。',
  },
  WEBHOOK_URL_REFUSED: {
    en: 'This address cannot receive notifications: use an http(s) address on the internet, without a user name or password in it.',
    'zh-CN': '此地址无法接收通知：请使用互联网上的 http(s) 地址，且地址中不含用户名或密码。',
  },
  WEBHOOK_DELIVERY_DELIVERED: {
    en: 'This notification was delivered already.',
    'zh-CN': '此通知已投递。',
  },
  UNAUTHENTICATED: {
    en: 'You are signed out. Sign in again.',
    'zh-CN': '您已退出登录，请重新登录。',
  },
  FORBIDDEN: {
    en: 'Your role may not do this.',
    'zh-CN': '您的角色无权执行此操作。',
  },
  CROSS_SITE_REQUEST: {
    en: 'The request came from another site and was refused.',
    'zh-CN': '该请求来自其他网站，已被拒绝。',
  },
  NOT_FOUND: {
    en: 'Not found.',
    'zh-CN': '未找到。',
  },
  DEVICE_NOT_FOUND: {
    en: 'No box with this serial is registered.',
    'zh-CN': '没有登记此序列号的盒子。',
  },
  DEVICE_EXISTS: {
    en: 'A box with this serial is already registered.',
    'zh-CN': '此序列号的盒子已登记。',
  },
  USER_EXISTS: {
    en: 'An account with this name already exists.',
    'zh-CN': '同名账号已存在。',
  },
  USER_NOT_FOUND: {
    en: 'No such account.',
    'zh-CN': '没有该账号。',
  },
  PASSWORD_TOO_WEAK: {
    en: 'The password is too weak.',
    'zh-CN': '密码强度太弱。',
  },
  CURRENT_PASSWORD_INVALID: {
    en: 'The current password is wrong.',
    'zh-CN': '当前密码错误。',
  },
  CANNOT_RESET_OWN_PASSWORD: {
    en: 'Change your own password with your current one instead.',
    'zh-CN': '请使用当前密码修改您自己的密码。',
  },
  CANNOT_DISABLE_SELF: {
    en: 'You cannot disable your own account.',
    'zh-CN': '您不能停用自己的账号。',
  },
  LAST_ENABLED_ADMIN: {
    en: 'This is the last enabled admin account.',
    'zh-CN': '这是最后一个启用的管理员账号。',
  },
  PAYLOAD_TOO_LARGE: {
    en: 'The request is too large.',
    'zh-CN': '请求过大。',
  },
  IMPORT_TOO_LARGE: {
    en: 'The import file is too large.',
    'zh-CN': '导入文件过大。',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    en: 'The request is in a format the server does not read.',
    'zh-CN': '服务器无法读取该请求的格式。',
  },
  TOO_MANY_ATTEMPTS: {
    en: 'Too many attempts; wait a moment and try again.',
    'zh-CN': '尝试次数过多，请稍后再试。',
  },
  RATE_LIMITED: {
    en: 'Too many requests; wait a moment and try again.',
    'zh-CN': '请求过多，请稍后再试。',
  },
  CASE_NOT_FOUND: {
    en: 'No such case.',
    'zh-CN': '没有该案例。',
  },
  INCIDENT_NOT_FOUND: {
    en: 'No such fleet incident.',
    'zh-CN': '没有该批量故障事件。',
  },
  CASE_INVALID_TRANSITION: {
    en: 'The case cannot make this move in its current state.',
    'zh-CN': '该案例在当前状态下无法执行此操作。',
  },
  INCIDENT_INVALID_TRANSITION: {
    en: 'The incident cannot make this move in its current state.',
    'zh-CN': '该事件在当前状态下无法执行此操作。',
  },
  CALENDAR_INVALID: {
    en: 'The calendar is not valid.',
    'zh-CN': '日历无效。',
  },
  RMA_NOT_FOUND: {
    en: 'No such ticket.',
    'zh-CN': '没有该工单。',
  },
  RMA_INVALID_TRANSITION: {
    en: 'The ticket cannot make this move in its current state.',
    'zh-CN': '该工单在当前状态下无法执行此操作。',
  },
  RMA_FORBIDDEN: {
    en: 'Your role may not make this move on a ticket.',
    'zh-CN': '您的角色无权对工单执行此操作。',
  },
  RMA_SCOPE_CLOSED: {
    en: 'The warranty scope is closed: the Repair Report has priced the repair.',
    'zh-CN': '保修范围已确定：维修报告已对维修定价。',
  },
  RMA_ALREADY_OPEN: {
    en: 'This box already has an open ticket.',
    'zh-CN': '此盒子已有未关闭的工单。',
  },
  RMA_PAYLOAD_INVALID: {
    en: 'Some of the input is not valid for this move.',
    'zh-CN': '部分输入对此操作无效。',
  },
  RMA_PAYMENT_INSUFFICIENT: {
    en: 'The payments do not cover the total yet.',
    'zh-CN': '付款尚不足以支付总额。',
  },
  RMA_WRONG_CHARGE_PATH: {
    en: 'This move does not fit the repair’s charges (free or paid).',
    'zh-CN': '此操作与维修的收费方式（免费或付费）不符。',
  },
  RMA_FEEDBACK_PERIOD_OPEN: {
    en: 'The customer’s feedback week has not passed yet.',
    'zh-CN': '客户的一周反馈期尚未结束。',
  },
  RMA_STANDBY_OUTSTANDING: {
    en: 'The standby unit has not come back yet.',
    'zh-CN': '备用机尚未归还。',
  },
  RMA_STANDBY_INVALID: {
    en: 'The standby unit cannot make this move now.',
    'zh-CN': '备用机当前无法执行此操作。',
  },
  RMA_DEADLINE_NOT_FOUND: {
    en: 'The ticket has no such deadline.',
    'zh-CN': '该工单没有此期限。',
  },
  RMA_DEADLINE_NOT_DUE: {
    en: 'The deadline has not passed yet.',
    'zh-CN': '期限尚未到期。',
  },
  RMA_EXCLUSIONS_UNDECIDED: {
    en: 'Confirm or reject every suggested exclusion first.',
    'zh-CN': '请先确认或驳回每一项建议的除外条款。',
  },
  RMA_RESTORE_PENDING: {
    en: 'Restore the parameters, or waive the restore, before the box ships back.',
    'zh-CN': '盒子寄回前，请先恢复参数或放弃恢复。',
  },
  RMA_RESTORE_NOT_NOW: {
    en: 'Parameters can be restored only once the box is repaired.',
    'zh-CN': '只有在盒子修好后才能恢复参数。',
  },
  RMA_NO_BACKUP: {
    en: 'There is no parameter backup to restore.',
    'zh-CN': '没有可恢复的参数备份。',
  },
  RMA_REMITTANCE_NOT_NOW: {
    en: 'A payment can be reported only while the repair awaits payment.',
    'zh-CN': '只有在维修等待付款时才能登记付款。',
  },
  EXCLUSION_NOT_SUGGESTED: {
    en: 'This exclusion was not suggested.',
    'zh-CN': '未建议此除外条款。',
  },
  EXCLUSION_ALREADY_DECIDED: {
    en: 'This exclusion was already decided.',
    'zh-CN': '此除外条款已作出决定。',
  },
  EXCLUSION_ALREADY_LISTED: {
    en: 'This exclusion is already listed.',
    'zh-CN': '此除外条款已在列表中。',
  },
  DAMAGE_DEGREE_REQUIRED: {
    en: 'Say how bad the damage is.',
    'zh-CN': '请说明损坏程度。',
  },
  CHARGES_TOO_LARGE: {
    en: 'The charges are too large.',
    'zh-CN': '费用金额过大。',
  },
  PLATFORM_TICKET_NOT_FOUND: {
    en: 'No such platform ticket.',
    'zh-CN': '没有该平台工单。',
  },
  PLATFORM_TICKET_INVALID_TRANSITION: {
    en: 'The platform ticket cannot make this move in its current state.',
    'zh-CN': '该平台工单在当前状态下无法执行此操作。',
  },
  PLATFORM_TICKET_FORBIDDEN: {
    en: 'Your role may not make this move on a platform ticket.',
    'zh-CN': '您的角色无权对平台工单执行此操作。',
  },
  PLATFORM_TICKET_PAYLOAD_INVALID: {
    en: 'Some of the input is not valid for this move.',
    'zh-CN': '部分输入对此操作无效。',
  },
  PLATFORM_TICKET_DEADLINE_NOT_FOUND: {
    en: 'The platform ticket has no such deadline.',
    'zh-CN': '该平台工单没有此期限。',
  },
  PLATFORM_TICKET_DEADLINE_NOT_DUE: {
    en: 'The deadline has not passed yet.',
    'zh-CN': '期限尚未到期。',
  },
  BACKUP_NOT_FOUND: {
    en: 'No such parameter backup.',
    'zh-CN': '没有该参数备份。',
  },
  BACKUP_FAILED: {
    en: 'The box did not give its parameters (offline, timed out or a broken answer).',
    'zh-CN': '盒子未返回参数（离线、超时或应答损坏）。',
  },
  PARAMS_READ_FAILED: {
    en: 'The box did not give its parameters (offline, timed out or a broken answer).',
    'zh-CN': '盒子未返回参数（离线、超时或应答损坏）。',
  },
  RESTORE_INCOMPATIBLE: {
    en: 'This backup does not fit the box (model or firmware differ).',
    'zh-CN': '此备份与盒子不匹配（型号或固件不同）。',
  },
  RESTORE_IN_PROGRESS: {
    en: 'Another restore is running on this box.',
    'zh-CN': '此盒子上正在进行另一项恢复。',
  },
  COMMAND_NOT_FOUND: {
    en: 'No such command.',
    'zh-CN': '没有该命令。',
  },
  SESSION_REQUIRED: {
    en: 'Open a remote-guidance session on this box first.',
    'zh-CN': '请先在此盒子上开启远程指导会话。',
  },
  BACKUP_BEFORE_CHANGE_FAILED: {
    en: 'The backup before the change failed, so nothing was changed.',
    'zh-CN': '修改前的备份失败，因此未作任何修改。',
  },
  SESSION_NOT_FOUND: {
    en: 'No such session.',
    'zh-CN': '没有该会话。',
  },
  SESSION_INVALID_TRANSITION: {
    en: 'The session cannot do this in its current state.',
    'zh-CN': '会话在当前状态下无法执行此操作。',
  },
  SESSION_ALREADY_OPEN: {
    en: 'This box already has an open session.',
    'zh-CN': '此盒子已有进行中的会话。',
  },
  SESSION_CASE_UNUSABLE: {
    en: 'This case cannot take a session.',
    'zh-CN': '此案例无法开启会话。',
  },
  SESSION_ENDED: {
    en: 'The session has ended.',
    'zh-CN': '会话已结束。',
  },
  SESSION_NOT_STARTED: {
    en: 'The session has not started yet.',
    'zh-CN': '会话尚未开始。',
  },
  TUNNEL_NOT_FOUND: {
    en: 'That tunnel is not open any more.',
    'zh-CN': '该隧道已关闭。',
  },
  TUNNEL_REFUSED: {
    en: 'The box refused to open the tunnel.',
    'zh-CN': '盒子拒绝开启隧道。',
  },
  TUNNEL_TIMEOUT: {
    en: 'The box did not answer within 10 seconds. Check that it is online and try again.',
    'zh-CN': '盒子在 10 秒内未应答。请确认其在线后重试。',
  },
  TUNNEL_LIMIT: {
    en: 'This session already has as many tunnels open as it may. Close one first.',
    'zh-CN': '此会话打开的隧道已达上限，请先关闭一个。',
  },
  TUNNEL_BOX_OFFLINE: {
    en: 'The box is offline, so no tunnel can go through it.',
    'zh-CN': '盒子离线，无法通过它建立隧道。',
  },
  TUNNEL_STREAM_BUSY: {
    en: 'Another program is already connected to this tunnel.',
    'zh-CN': '已有另一个程序连接到此隧道。',
  },
  TELEMETRY_STORE_UNAVAILABLE: {
    en: 'The telemetry history cannot be read right now: its database does not answer. Try again later; if it keeps failing, tell your admin.',
    'zh-CN': '暂时无法读取遥测历史：其数据库无应答。请稍后重试；如果一直失败，请告知您的管理员。',
  },
  NOT_READY: {
    en: 'The server is not ready to serve: it is starting, stopping, or a part it needs does not answer (see the checks).',
    'zh-CN': '服务器尚未就绪：正在启动、正在停止，或其所需的某个部分无应答（见各项检查）。',
  },
  INTERNAL: {
    en: 'Something went wrong on the server. Try again; if it keeps failing, tell your admin.',
    'zh-CN': '服务器出错。请重试；如果一直失败，请告知您的管理员。',
  },
} as const satisfies Record<ErrorCode, Record<Locale, string>>;

/** The message of a code in a locale. */
export function errorMessage(code: ErrorCode, locale: Locale): string {
  return ERROR_MESSAGES[code][locale];
}
