// The theme in force: the technician's choice, or, on "system", what the OS asks for (high contrast
// first: it is asked for on purpose; then dark). Pure; the App applies it as <html data-theme>.
import type { ThemeChoice } from '../store/ui-store';

export type Theme = Exclude<ThemeChoice, 'system'>;

export const THEME_WORDS: Readonly<Record<ThemeChoice, string>> = { system: 'Like the system', light: 'Light', dark: 'Dark', contrast: 'High contrast' };

export function effectiveTheme(choice: ThemeChoice, os: { dark: boolean; contrast: boolean }): Theme {
  if (choice !== 'system') return choice;
  if (os.contrast) return 'contrast';
  return os.dark ? 'dark' : 'light';
}
