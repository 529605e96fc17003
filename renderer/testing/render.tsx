// Renders a component inside the app's providers, with a fake client and fresh stores unless the test brings its own.
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { ApiContext } from '../api-context';
import { createStores, StoresContext, type Stores } from '../store/stores';
import { createFakeClient, type FakeClient } from './fake-client';

export function renderWith(ui: ReactElement, { client = createFakeClient(), stores = createStores() }: { client?: FakeClient; stores?: Stores } = {}) {
  const result = render(
    <ApiContext.Provider value={client}>
      <StoresContext.Provider value={stores}>{ui}</StoresContext.Provider>
    </ApiContext.Provider>,
  );
  return { ...result, client, stores };
}
