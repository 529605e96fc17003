// The theme control in the top bar, and the effect that keeps <html data-theme> on the theme in force,
// following the OS live while the choice is "like the system".
import { useEffect, useId } from 'react';
import { effectiveTheme, THEME_WORDS } from '../lib/theme';
import { useSlice, useStores } from '../store/stores';
import { THEMES, type ThemeChoice } from '../store/ui-store';

const OS_DARK = '(prefers-color-scheme: dark)';
const OS_CONTRAST = '(prefers-contrast: more), (forced-colors: active)';

export function ThemePicker() {
  const id = useId();
  const choice = useSlice('ui', (s) => s.theme);
  const setTheme = useStores().ui.getState().setTheme;
  useEffect(() => {
    const dark = window.matchMedia(OS_DARK);
    const contrast = window.matchMedia(OS_CONTRAST);
    const apply = () => {
      document.documentElement.dataset.theme = effectiveTheme(choice, { dark: dark.matches, contrast: contrast.matches });
    };
    apply();
    dark.addEventListener('change', apply);
    contrast.addEventListener('change', apply);
    return () => {
      dark.removeEventListener('change', apply);
      contrast.removeEventListener('change', apply);
    };
  }, [choice]);
  return (
    <div className="theme-picker">
      <label htmlFor={id} className="sr-only">
        Theme
      </label>
      <select id={id} value={choice} onChange={(e) => setTheme(e.target.value as ThemeChoice)}>
        {THEMES.map((t) => (
          <option key={t} value={t}>
            {THEME_WORDS[t]}
          </option>
        ))}
      </select>
    </div>
  );
}
