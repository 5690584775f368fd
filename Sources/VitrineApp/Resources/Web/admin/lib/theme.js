// The brand's accent colour as CSS variables, with a text colour on it that stays readable.

const DEFAULT_ACCENT = '#3A4BC4';

function luminance(hex) {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

const contrast = (a, b) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);

/** Sets --accent, --accent-ink (text on the accent) and --accent-text (the accent as text on white). */
export function applyAccent(color) {
  const hex = /^#[0-9a-f]{6}$/i.test(color ?? '') ? color : DEFAULT_ACCENT;
  const l = luminance(hex);
  const style = document.documentElement.style;
  style.setProperty('--accent', hex);
  style.setProperty('--accent-ink', contrast(l, 1) >= contrast(l, 0.008) ? '#ffffff' : '#16181d');
  // A pale accent is fine as a background but unreadable as link text: links fall back to ink.
  style.setProperty('--accent-text', contrast(l, 1) >= 4.5 ? hex : 'var(--text)');
}
