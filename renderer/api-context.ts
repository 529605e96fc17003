import { createContext, useContext } from 'react';
import type { DocksideClient } from './api-client';

export const ApiContext = createContext<DocksideClient | null>(null);

export function useApi(): DocksideClient {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside <ApiContext.Provider>');
  return api;
}
