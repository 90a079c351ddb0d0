import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { registerLanguage } from '../../shared/i18n/index.js';
import { zhCN } from '../../shared/i18n/zh-CN/index.js';
import { App } from './App.js';
import './styles.css';

// The language switch is instant: both catalogs are in the bundle.
registerLanguage('zh-CN', zhCN);

const root = document.getElementById('root');
if (root !== null) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
