/**
 * English strings: the reference table. Every key here has a zh-HK translation (zh-hk.ts; a unit test
 * checks). Keys are grouped by screen; the desk adds its own under `desk.`. `{name}` marks a parameter.
 */
export const en = {
  'app.title': 'Streetwise',
  'app.skipToMap': 'Skip to the map',
  'app.loading': 'Loading…',
  'app.mapPane': 'Live map',
  'app.deskPane': 'Incident desk',

  'header.signedInAs': 'Signed in as {username}',
  'header.signOut': 'Sign out',
  'header.language': 'Language',
  'header.theme': 'Theme',
  'header.themeDark': 'Dark',
  'header.themeLight': 'Light',
  'header.connection': 'Live feed: {state}',
  'header.reconnect': 'Reconnect',
  'header.caughtUpAt': 'caught up at {time}',

  'connection.connecting': 'Connecting',
  'connection.online': 'Online',
  'connection.offline': 'Offline',

  'role.viewer': 'Viewer',
  'role.operator': 'Operator',
  'role.planner': 'Planner',
  'role.admin': 'Administrator',

  'language.en': 'English',
  'language.zh-HK': '繁體中文',

  'login.title': 'Sign in to Streetwise',
  'login.username': 'Username',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.busy': 'Signing in…',
  'login.failed': 'Wrong username or password.',
  'login.locked': 'Too many failed attempts: this account is locked for now. Try again later.',
  'login.rateLimited': 'Too many sign-in attempts from here. Wait a minute and try again.',
  'login.error': 'Could not sign in: {message}',

  'password.title': 'Choose a new password',
  'password.explain': 'Your password was set for one use only. Choose your own before you go on.',
  'password.current': 'Current (one-time) password',
  'password.new': 'New password',
  'password.confirm': 'New password again',
  'password.submit': 'Change password',
  'password.mismatch': 'The two new passwords differ.',
  'password.weak': 'That password is too weak: {message}',
  'password.error': 'Could not change the password: {message}',

  'severity.info': 'Info',
  'severity.low': 'Low',
  'severity.medium': 'Medium',
  'severity.high': 'High',
  'severity.critical': 'Critical',

  'status.open': 'Open',
  'status.acknowledged': 'Acknowledged',
  'status.dispatched': 'Dispatched',
  'status.resolved': 'Resolved',

  'deviceState.online': 'Online',
  'deviceState.degraded': 'Degraded',
  'deviceState.offline': 'Offline',

  'map.label': 'Map of Hong Kong with devices and open incidents',
  'map.legend': 'Legend',
  'map.devices': 'Devices',
  'map.incidents': 'Open incidents',
  'map.cluster': 'Group of devices (colour: worst state)',
  'map.pulsing': 'Pulsing: critical, not acknowledged',
  'map.noWebgl': 'The map needs WebGL, which this browser does not offer.',
  'map.counts': 'Devices: {devices} · open incidents: {incidents}',
  'map.zoomIn': 'Zoom in',
  'map.zoomOut': 'Zoom out',

  'layers.title': 'Map layers',
  'layers.congestion': 'Congestion at detectors',
  'layers.congestionHint': 'Last hour: red jammed, amber slow, green free-flowing (speed ÷ free-flow speed)',
  'layers.crowd': 'Crowds',
  'layers.crowdHint': 'Last hour: people counted per device, as a heat map',
  'layers.hotspots': 'Incident hot spots',
  'layers.hotspotsHint': 'Last 7 days: incidents per H3 hexagon, darker for more',
  'layers.coverage': 'Device coverage',
  'layers.coverageHint': 'Roughly what each device watches (nominal radius by kind)',
  'layers.failed': 'Could not load this layer; it retries every minute',

  'desk.placeholder': 'The incident desk opens here.',
  'desk.selected': 'Selected incident: {id}',
} as const;

export type MessageKey = keyof typeof en;
