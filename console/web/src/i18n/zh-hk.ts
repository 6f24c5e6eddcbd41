/** 繁體中文（香港）: every key of en.ts (a unit test checks), none empty. */
import type { MessageKey } from './en.js';

export const zhHK: Record<MessageKey, string> = {
  'app.title': 'Streetwise 街智',
  'app.skipToMap': '跳至地圖',
  'app.loading': '載入中…',
  'app.mapPane': '即時地圖',
  'app.deskPane': '事故處理台',

  'header.signedInAs': '已登入：{username}',
  'header.signOut': '登出',
  'header.language': '語言',
  'header.theme': '主題',
  'header.themeDark': '深色',
  'header.themeLight': '淺色',
  'header.connection': '即時資料：{state}',
  'header.reconnect': '重新連線',
  'header.caughtUpAt': '已於 {time} 同步',

  'connection.connecting': '連線中',
  'connection.online': '在線',
  'connection.offline': '離線',

  'role.viewer': '檢視者',
  'role.operator': '操作員',
  'role.planner': '規劃人員',
  'role.admin': '管理員',

  'language.en': 'English',
  'language.zh-HK': '繁體中文',

  'login.title': '登入 Streetwise 街智',
  'login.username': '用戶名稱',
  'login.password': '密碼',
  'login.submit': '登入',
  'login.busy': '正在登入…',
  'login.failed': '用戶名稱或密碼錯誤。',
  'login.locked': '登入失敗次數過多，此帳戶暫時鎖定，請稍後再試。',
  'login.rateLimited': '此處的登入嘗試過於頻密，請等一分鐘再試。',
  'login.error': '無法登入：{message}',

  'password.title': '設定新密碼',
  'password.explain': '你的密碼只限使用一次。請先設定你自己的密碼。',
  'password.current': '現有（一次性）密碼',
  'password.new': '新密碼',
  'password.confirm': '再次輸入新密碼',
  'password.submit': '更改密碼',
  'password.mismatch': '兩次輸入的新密碼不相同。',
  'password.weak': '密碼太弱：{message}',
  'password.error': '無法更改密碼：{message}',

  'severity.info': '資訊',
  'severity.low': '低',
  'severity.medium': '中',
  'severity.high': '高',
  'severity.critical': '危急',

  'status.open': '未處理',
  'status.acknowledged': '已確認',
  'status.dispatched': '已派遣',
  'status.resolved': '已解決',

  'deviceState.online': '在線',
  'deviceState.degraded': '欠佳',
  'deviceState.offline': '離線',

  'map.label': '香港地圖，顯示裝置及未解決事故',
  'map.legend': '圖例',
  'map.devices': '裝置',
  'map.incidents': '未解決事故',
  'map.cluster': '裝置群組（顏色：最差狀態）',
  'map.pulsing': '閃動：危急而未確認',
  'map.noWebgl': '地圖需要 WebGL，但此瀏覽器不支援。',
  'map.counts': '裝置：{devices} · 未解決事故：{incidents}',
  'map.zoomIn': '放大',
  'map.zoomOut': '縮小',

  'desk.placeholder': '事故處理台會在此顯示。',
  'desk.selected': '已選事故：{id}',
};
