import { Welcome } from './pages/Welcome.tsx';

/** Composition root of the UI. Later issues add routing between onboarding, home, send, requests… */
export function App() {
  return <Welcome />;
}
