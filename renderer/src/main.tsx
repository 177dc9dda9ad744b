import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import './styles.css';
import { api } from './api.js';
import { takePayloads } from './opened/open-actions.js';

api.onOpenFiles?.((files) => void takePayloads(files));

createRoot(document.getElementById('root')!).render(<App />);
performance.mark('tee-first-render');
