import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { api } from './api/api';
import { App } from './App';
import { connectFrames } from './features/inspector/frames-store';
import { connectLogs } from './features/logs/logs-store';
import { followServers, serversStore } from './features/servers/servers-store';
import './styles.css';

// Live data is followed here, once, on the one `api`: the stores only read what it brings.
followServers(api);
connectFrames(api, serversStore);
connectLogs(api);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
