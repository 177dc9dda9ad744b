import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import './styles.css';
import { api } from './api.js';
import { addPayloads } from './store.js';

api.onOpenFiles?.((files) => void addPayloads(files));

createRoot(document.getElementById('root')!).render(<App />);
performance.mark('tee-first-render');
