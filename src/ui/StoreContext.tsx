// One workspace store per app, handed down by context (as xyflow does), so component tests can
// render with their own store.
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { WorkspaceState, WorkspaceStore } from '../store/workspace.ts';

export const StoreContext = createContext<WorkspaceStore | null>(null);

export function useWorkspaceStore(): WorkspaceStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('svcpath: a component using the workspace was rendered outside <StoreContext.Provider>');
  return store;
}

export function useWorkspace<T>(selector: (s: WorkspaceState) => T): T {
  return useStore(useWorkspaceStore(), selector);
}
