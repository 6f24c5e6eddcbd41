import { render } from 'preact';
import './styles.css';
import { onSessionLost } from './api/client.js';
import { App } from './app.js';
import { checkSession, endSession } from './login/session.js';
import { applyThemeToDocument } from './theme/theme.js';

applyThemeToDocument();
onSessionLost(endSession);
render(<App />, document.getElementById('app')!);
void checkSession();
