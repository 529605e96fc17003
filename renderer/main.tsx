// The page's entry: one client for whichever host, the stores bound to it, the app rendered.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { DocksideBridge } from '../preload/transport';
import { createApiClient } from './api-client';
import { createPreferences, pageStorage } from './lib/preferences';
import { createSessionSource, sessionFromDocument } from './session';
import { ApiContext } from './api-context';
import { App, viewFromHash } from './App';
import { bindClient } from './store/bind-client';
import { createStores, StoresContext } from './store/stores';
import './styles.css';

const bridge = (window as unknown as { dockside?: DocksideBridge }).dockside;
const session = createSessionSource(sessionFromDocument(document), () => fetch('/', { cache: 'no-store' }).then((r) => r.text()));
const client = createApiClient({ bridge, location: window.location, session });
const stores = createStores(viewFromHash(window.location.hash), createPreferences(pageStorage()));
bindClient(client, stores);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ApiContext.Provider value={client}>
      <StoresContext.Provider value={stores}>
        <App />
      </StoresContext.Provider>
    </ApiContext.Provider>
  </StrictMode>,
);
